import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/start.js';
import { announcePort, exitWithParent, portArg } from './child-lifecycle.js';

/**
 * Baimo as the bench runs it: the real composition root (`startServer`), one model with one
 * OpenAI-compatible deployment on the mock upstream, logging off, a throwaway data dir. The
 * config env is built here rather than inherited, so an operator's BAIMO_* or vendor keys in the
 * shell cannot change what is measured.
 */

const PUBLIC_MODEL = 'bench-model';

function configYaml(upstreamPort: number): string {
  return `providers:
  - name: mock
    kind: openai-compatible
    base_url: http://127.0.0.1:${upstreamPort}/v1
    api_key: \${BENCH_UPSTREAM_KEY}
models:
  - name: ${PUBLIC_MODEL}
    capabilities: [chat]
    deployments:
      - provider: mock
        model: mock-model
`;
}

/** A free port on 127.0.0.1, chosen by the OS; the config contract needs a concrete port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const masterKey = process.env.BAIMO_MASTER_KEY;
  if (!masterKey) throw new Error('BAIMO_MASTER_KEY must be set by the bench');
  const dir = mkdtempSync(join(tmpdir(), 'baimo-bench-'));
  const configPath = join(dir, 'baimo.yaml');
  writeFileSync(configPath, configYaml(portArg('upstream')));
  const server = await startServer({
    configPath,
    port: await freePort(),
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    env: { BAIMO_MASTER_KEY: masterKey, BENCH_UPSTREAM_KEY: 'sk-bench-upstream' },
    logger: false,
    print: (line) => process.stderr.write(`[baimo] ${line}\n`),
  }).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  announcePort(server.port);
  exitWithParent(async () => {
    await server.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`baimo-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
