import { loadConfig } from '../config/index.js';
import { resolveKind } from '../providers/index.js';
import { parseCommonOptions } from './options.js';

export const MODELS_HELP = `Usage: baimo models [options]

Lists the models the configuration publishes (file + built-in catalog for vendor keys set
in the environment), with their deployments and prices. Does not start a server.

Options:
  -c, --config <file>   Configuration file (default: ./baimo.yaml if present; env BAIMO_CONFIG)
      --json            Print JSON instead of a table
`;

export async function runModels(argv: string[]): Promise<number> {
  const opts = parseCommonOptions(argv, process.env);
  const config = loadConfig({ path: opts.config, env: process.env, resolveKind, warn: () => {} });
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(config.models, null, 2)}\n`);
    return 0;
  }
  const rows = config.models.map((m) => [
    m.name,
    m.capabilities.join(','),
    m.price ? `${m.price.input}/${m.price.output} ${config.currency}` : '-',
    m.deployments.map((d) => `${d.provider}:${d.model}`).join(' '),
  ]);
  const header = ['MODEL', 'CAPABILITIES', 'PRICE in/out per 1M', 'DEPLOYMENTS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
  if (rows.length === 0) process.stdout.write('(no models: add a baimo.yaml or set a vendor key such as DEEPSEEK_API_KEY)\n');
  return 0;
}
