import { startServer, type RunningServer } from '../server/start.js';
import { parseCommonOptions } from './options.js';

export const SERVE_HELP = `Usage: baimo serve [options]

Runs the gateway: OpenAI-compatible API under /v1, admin API under /admin/v1,
health at /healthz and /readyz, Prometheus metrics at /metrics.

Options:
  -c, --config <file>   Configuration file (default: ./baimo.yaml if present; env BAIMO_CONFIG)
  -p, --port <port>     HTTP port (default 4000; env BAIMO_PORT)
      --host <addr>     Listen address (default 0.0.0.0; env BAIMO_HOST)
  -d, --data <dir>      Data directory (default ./.baimo; env BAIMO_DATA_DIR)
  -h, --help            Show this help

Environment:
  BAIMO_MASTER_KEY      Platform operator key (generated and stored in the data dir if unset)
  DEEPSEEK_API_KEY, DASHSCOPE_API_KEY, …   Setting a vendor key publishes its main models

Signals: SIGHUP reloads the configuration without dropping in-flight requests;
SIGTERM stops accepting, drains in-flight streams, then exits 0.
`;

export async function runServe(argv: string[]): Promise<number> {
  const env = process.env;
  const opts = parseCommonOptions(argv, env);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let server: RunningServer;
  try {
    server = await startServer({ configPath: opts.config, port: opts.port, host: opts.host, dataDir: opts.data, env, logger: env.BAIMO_LOG !== 'off', print });
  } catch (err) {
    process.stderr.write(`baimo serve: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  process.on('SIGHUP', () => {
    server.reload().then(
      (next) => print(`Configuration reloaded: ${next.models.length} models.`),
      (err: unknown) => process.stderr.write(`Reload failed, keeping the previous configuration: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  const stop = (signal: string) => {
    print(`${signal}: draining in-flight requests…`);
    server.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        // Nothing is lost (usage is journaled and replayed at the next start), but say what failed.
        process.stderr.write(`shutdown: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Announced only now: a supervisor (or a test) that signals as soon as it reads the line must
  // find the handlers installed, or SIGTERM would kill the process instead of draining it.
  const models = server.config().models.length;
  print(`Baimo listening on ${server.url} (${models} model${models === 1 ? '' : 's'} published, config: ${server.config().source})`);
  print(`Console: ${server.url}/   API: ${server.url}/v1   Health: ${server.url}/healthz`);
  return 0;
}
