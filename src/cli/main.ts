#!/usr/bin/env node
import { runServe, SERVE_HELP } from './serve.js';
import { runModels, MODELS_HELP } from './models.js';
import { runKeysCommand, runOrgsCommand } from '../tenancy/index.js';
import { runUsageCommand } from '../metering/index.js';
import { runKbCommand } from './kb.js';

/** `baimo` — the command-line entry point (DESIGN.md §2). */

const HELP = `baimo — self-hosted Model-as-a-Service platform (百模)

Usage: baimo <command> [options]

Commands:
  serve     Run the gateway, API and console (default port 4000)
  models    List the models this configuration publishes
  orgs      Manage tenant organisations (via the running server's admin API)
  keys      Create, list, revoke and rotate tenant API keys
  usage     Usage and cost reports, as a table or CSV
  kb        Knowledge bases: create, ingest documents, search, evaluate retrieval
  apps      Apps                              (later issue)
  eval      Model evaluation                  (later issue)
  bench     Run the gateway and retrieval benchmarks (same as npm run bench)

Run 'baimo <command> --help' for a command's options.
`;

const PENDING: Record<string, string> = {
  apps: 'a later issue (apps)',
  eval: 'a later issue (evaluation)',
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  switch (command) {
    case 'serve':
      if (rest.includes('--help') || rest.includes('-h')) return print(SERVE_HELP);
      return runServe(rest);
    case 'models':
      if (rest.includes('--help') || rest.includes('-h')) return print(MODELS_HELP);
      return runModels(rest);
    case 'orgs':
      return runOrgsCommand(rest, process.env);
    case 'keys':
      return runKeysCommand(rest, process.env);
    case 'usage':
      return runUsageCommand(rest, process.env);
    case 'kb':
      return runKbCommand(rest, process.env);
    case 'bench': {
      const { BENCH_USAGE, runBenches } = await import('../../bench/main.js');
      if (rest.includes('--help') || rest.includes('-h')) return print(BENCH_USAGE);
      await runBenches(rest);
      return 0;
    }
    default:
      if (PENDING[command]) {
        process.stderr.write(`baimo ${command}: not available in this version; it arrives with ${PENDING[command]}.\n`);
        return 2;
      }
      process.stderr.write(`baimo: unknown command '${command}'.\n\n${HELP}`);
      return 1;
  }
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
