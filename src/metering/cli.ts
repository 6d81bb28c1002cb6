import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { UsageMetrics } from './usage-queries.js';

export const USAGE_HELP = `Usage: baimo usage [options]

Prints usage and cost from a running Baimo server (GET /admin/v1/usage), with totals.

Options:
      --from <time>        Start, ISO 8601 (2026-11-01) or unix seconds (default: 30 days before --to)
      --to <time>          End, exclusive (default: now)
      --group-by <list>    Comma-separated: key, model, org, deployment, provider, day, hour
      --org <org_id>       Only this org
      --key-id <key_id>    Only this API key
      --csv                Print CSV (as the server exports it) instead of a table
      --json               Print the JSON answer
      --url <url>          Server URL (env BAIMO_URL, default http://127.0.0.1:4000)
      --key <secret>       Admin credential (default: env BAIMO_MASTER_KEY, else <data dir>/master.key)
  -d, --data <dir>         Data dir holding master.key (env BAIMO_DATA_DIR, default ./.baimo)
  -h, --help               Show this help

Example: baimo usage --from 2026-11-01 --group-by day,model
`;

/** What the command touches, injectable so tests need no server or files. */
export interface UsageCliIo {
  fetch: typeof fetch;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** File contents, or undefined when it does not exist. */
  readFile: (path: string) => string | undefined;
}

interface ReportJson {
  from?: string;
  to?: string;
  group_by?: string[];
  currency?: string;
  data: (Record<string, unknown> & UsageMetrics)[];
  totals: UsageMetrics;
}

const GROUP_FIELDS: Record<string, string> = { key: 'key_id', org: 'org_id', deployment: 'deployment_id', model: 'model', provider: 'provider', day: 'day', hour: 'hour' };

/** `baimo usage`: exit 0 on success, 1 when the server or credential fails, 2 on bad options. */
export async function runUsageCommand(argv: string[], env: Record<string, string | undefined>, io: UsageCliIo = processIo()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'group-by': { type: 'string' },
        org: { type: 'string' },
        'key-id': { type: 'string' },
        csv: { type: 'boolean' },
        json: { type: 'boolean' },
        url: { type: 'string' },
        key: { type: 'string' },
        data: { type: 'string', short: 'd' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr(`baimo usage: ${(err as Error).message}\n\n${USAGE_HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE_HELP);
    return 0;
  }
  const base = (values.url ?? env.BAIMO_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const dataDir = values.data ?? env.BAIMO_DATA_DIR ?? './.baimo';
  const secret = values.key ?? env.BAIMO_MASTER_KEY?.trim() ?? io.readFile(join(dataDir, 'master.key'))?.trim();
  if (!secret) {
    io.stderr(`baimo usage: no admin credential: pass --key, set BAIMO_MASTER_KEY, or point --data at the server's data dir.\n`);
    return 1;
  }

  const params = new URLSearchParams();
  if (values.from) params.set('from', values.from);
  if (values.to) params.set('to', values.to);
  if (values['group-by']) params.set('group_by', values['group-by']);
  if (values.org) params.set('org_id', values.org);
  if (values['key-id']) params.set('key_id', values['key-id']);
  if (values.csv) params.set('format', 'csv');
  const url = `${base}/admin/v1/usage${params.size > 0 ? `?${params}` : ''}`;

  let response: Response;
  try {
    response = await io.fetch(url, { headers: { authorization: `Bearer ${secret}` } });
  } catch (err) {
    io.stderr(`baimo usage: could not reach ${base} (${(err as Error).message}). Is 'baimo serve' running? Set --url or BAIMO_URL.\n`);
    return 1;
  }
  const body = await response.text();
  if (!response.ok) {
    io.stderr(`baimo usage: ${errorMessage(body)} (HTTP ${response.status})\n`);
    return 1;
  }
  if (values.csv) {
    io.stdout(body);
    return 0;
  }
  const report = JSON.parse(body) as ReportJson;
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
}

/** A fixed-width table: group columns, the metrics, and a TOTAL line. */
export function formatReport(report: ReportJson): string {
  const groups = (report.group_by ?? []).map((g) => GROUP_FIELDS[g] ?? g);
  // Ungrouped, the one data row is the total: show just the TOTAL line under a label column.
  const labels = groups.length > 0 ? groups.map((g) => g.toUpperCase()) : [''];
  const header = [...labels, 'REQUESTS', 'INPUT', 'OUTPUT', 'CACHED', 'REASONING', `COST (${report.currency ?? '?'})`];
  const metrics = (m: UsageMetrics) => [m.requests, m.input_tokens, m.output_tokens, m.cached_tokens, m.reasoning_tokens].map(String).concat(formatCost(m.cost));
  const rows = groups.length === 0 ? [] : report.data.map((r) => [...groups.map((g) => (r[g] == null ? '-' : String(r[g]))), ...metrics(r)]);
  const total = [...labels.map((_, i) => (i === 0 ? 'TOTAL' : '')), ...metrics(report.totals)];
  const widths = header.map((_, i) => Math.max(...[header, ...rows, total].map((l) => l[i]!.length)));
  const render = (l: string[]) => l.map((c, i) => (i >= labels.length ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [`Usage ${report.from ?? ''} → ${report.to ?? ''}`, '', render(header), ...rows.map(render), rule, render(total)];
  if (report.data.length === 0) out.push('(no usage in this range)');
  if (report.totals.estimated_requests > 0 || report.totals.unpriced_requests > 0) out.push('');
  if (report.totals.estimated_requests > 0) out.push(`${report.totals.estimated_requests} request(s) have estimated token counts (the upstream reported none).`);
  if (report.totals.unpriced_requests > 0) out.push(`${report.totals.unpriced_requests} request(s) used unpriced models: their cost is unknown, not 0.`);
  return `${out.join('\n')}\n`;
}

function formatCost(cost: number | null): string {
  if (cost === null) return '-';
  return cost.toFixed(6).replace(/0{1,4}$/, '');
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // not JSON: show the text
  }
  return body.trim().slice(0, 300) || 'request failed';
}

/** The real process: this command is itself a composition root, like the rest of `baimo`'s CLI. */
function processIo(): UsageCliIo {
  return {
    fetch: globalThis.fetch,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
