import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AdminClient, type CliIo } from './cli-client.js';

/**
 * `baimo orgs` and `baimo keys`: thin clients of a running server's admin API (never the
 * database directly, so they work the same against one embedded process or a fleet).
 */

export type { CliIo } from './cli-client.js';

const CONNECTION = `Connection:
      --url <url>       Server (default http://127.0.0.1:4000; env BAIMO_URL)
      --key <key>       Credential (default env BAIMO_MASTER_KEY, else <data dir>/master.key)
  -d, --data <dir>      Data directory holding master.key (default ./.baimo; env BAIMO_DATA_DIR)
      --json            Print the API's JSON answer
  -h, --help            Show this help
`;

export const ORGS_HELP = `Usage: baimo orgs <command> [options]

Commands:
  list                  List orgs
  create NAME           Create an org

${CONNECTION}`;

export const KEYS_HELP = `Usage: baimo keys <command> [options]

Commands:
  create --org ORG      Create an API key; the key is printed once
      --name <name>         Name (default "default")
      --models <a,b>        Models the key may call (default: all)
      --rpm <n>             Requests per minute
      --tpm <n>             Tokens per minute
      --concurrency <n>     Concurrent requests
      --budget <amount>     Spend limit, billing currency
      --budget-period <p>   total (lifetime, the default) or monthly (afresh each month, UTC)
      --expires <when>      ISO 8601 time (2027-01-31T00:00:00Z) or a duration (30d, 12h)
  list --org ORG        List an org's keys (never the plaintext)
  revoke KEY_ID         Revoke a key
  rotate KEY_ID         Issue a new plaintext for a key; the old one stops working

ORG is an org id (org_…) or an org name.

${CONNECTION}`;

export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  data: { type: 'string', short: 'd' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const KEY_OPTIONS = {
  ...CONNECTION_OPTIONS,
  org: { type: 'string' },
  name: { type: 'string' },
  models: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  concurrency: { type: 'string' },
  budget: { type: 'string' },
  'budget-period': { type: 'string' },
  expires: { type: 'string' },
} as const;

export type Env = Record<string, string | undefined>;

export async function runOrgsCommand(argv: string[], env: Env, io: CliIo = defaultIo()): Promise<number> {
  return guard(io, 'orgs', ORGS_HELP, async () => {
    const { values, positionals } = parseArgs({ args: argv, options: CONNECTION_OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || !command) return usage(io, ORGS_HELP, command === undefined && !values.help);
    const client = connect(values, env, io);
    switch (command) {
      case 'list': {
        const { data } = await client.call<{ data: Record<string, unknown>[] }>('GET', '/admin/v1/orgs');
        if (values.json) return printJson(io, { data });
        printTable(io, ['ID', 'NAME', 'RPM', 'TPM', 'BUDGET', 'DISABLED'], data, ['id', 'name', 'rpm', 'tpm', 'budget', 'disabled']);
        return 0;
      }
      case 'create': {
        if (rest.length !== 1) throw new UsageError('orgs create takes exactly one NAME.');
        const org = await client.call<Record<string, unknown>>('POST', '/admin/v1/orgs', { name: rest[0] });
        if (values.json) return printJson(io, org);
        io.stdout(`Created org ${String(org.id)} (${String(org.name)}).\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'.`);
    }
  });
}

export async function runKeysCommand(argv: string[], env: Env, io: CliIo = defaultIo()): Promise<number> {
  return guard(io, 'keys', KEYS_HELP, async () => {
    const { values, positionals } = parseArgs({ args: argv, options: KEY_OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || !command) return usage(io, KEYS_HELP, command === undefined && !values.help);
    const client = connect(values, env, io);
    switch (command) {
      case 'create': {
        const orgId = await resolveOrg(client, values.org);
        const body: Record<string, unknown> = { name: values.name ?? 'default' };
        if (values.models !== undefined) body.models = values.models.split(',').map((m) => m.trim()).filter(Boolean);
        if (values.rpm !== undefined) body.rpm = integer('--rpm', values.rpm);
        if (values.tpm !== undefined) body.tpm = integer('--tpm', values.tpm);
        if (values.concurrency !== undefined) body.max_concurrency = integer('--concurrency', values.concurrency);
        if (values.budget !== undefined) body.budget = amount('--budget', values.budget);
        if (values['budget-period'] !== undefined) body.budget_period = budgetPeriod(values['budget-period']);
        if (values.expires !== undefined) body.expires_at = expiry(values.expires, io.now());
        const key = await client.call<Record<string, unknown>>('POST', `/admin/v1/orgs/${encodeURIComponent(orgId)}/keys`, body);
        if (values.json) return printJson(io, key);
        io.stdout(`Created key ${String(key.id)} (${String(key.name)}) in ${orgId}.\nKey (shown only now, store it safely):\n\n    ${String(key.key)}\n\n`);
        return 0;
      }
      case 'list': {
        const orgId = await resolveOrg(client, values.org);
        const { data } = await client.call<{ data: Record<string, unknown>[] }>('GET', `/admin/v1/orgs/${encodeURIComponent(orgId)}/keys`);
        if (values.json) return printJson(io, { data });
        const rows = data.map((k) => ({ ...k, models: Array.isArray(k.models) ? k.models.join(',') : 'all', state: k.revoked_at ? 'revoked' : 'active' }));
        printTable(io, ['ID', 'NAME', 'PREFIX', 'MODELS', 'RPM', 'TPM', 'EXPIRES', 'STATE', 'LAST USED'], rows, ['id', 'name', 'prefix', 'models', 'rpm', 'tpm', 'expires_at', 'state', 'last_used_at']);
        return 0;
      }
      case 'revoke':
      case 'rotate': {
        if (rest.length !== 1) throw new UsageError(`keys ${command} takes exactly one KEY_ID.`);
        const id = encodeURIComponent(rest[0]!);
        const key =
          command === 'revoke'
            ? await client.call<Record<string, unknown>>('DELETE', `/admin/v1/keys/${id}`)
            : await client.call<Record<string, unknown>>('POST', `/admin/v1/keys/${id}/rotate`);
        if (values.json) return printJson(io, key);
        io.stdout(command === 'revoke' ? `Revoked key ${String(key.id)}.\n` : `Rotated key ${String(key.id)}; the old key no longer works.\nNew key (shown only now):\n\n    ${String(key.key)}\n\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'.`);
    }
  });
}

/** A mistake in the command line: exit code 2 and the command's help. */
export class UsageError extends Error {}

export async function guard(io: CliIo, command: string, help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`baimo ${command}: ${message}\n`);
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) io.stderr(`\n${help}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

export function usage(io: CliIo, help: string, missing: boolean): number {
  (missing ? io.stderr : io.stdout)(help);
  return missing ? 2 : 0;
}

export function connect(values: { url?: string; key?: string; data?: string }, env: Env, io: CliIo): AdminClient {
  const url = (values.url ?? env.BAIMO_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  let key = values.key ?? env.BAIMO_MASTER_KEY?.trim();
  if (!key) {
    const file = join(values.data ?? env.BAIMO_DATA_DIR ?? './.baimo', 'master.key');
    key = io.readFile(file)?.trim();
    if (!key) throw new Error(`no credential: pass --key, set BAIMO_MASTER_KEY, or run where ${file} exists.`);
  }
  return new AdminClient(url, key, io);
}

export async function resolveOrg(client: AdminClient, org: string | undefined): Promise<string> {
  if (!org) throw new UsageError('--org is required.');
  if (org.startsWith('org_')) return org;
  const { data } = await client.call<{ data: { id: string; name: string }[] }>('GET', '/admin/v1/orgs');
  const match = data.find((o) => o.name === org);
  if (!match) throw new Error(`no org named '${org}'.`);
  return match.id;
}

export function integer(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: '${text}' is not a positive integer.`);
  return n;
}

function budgetPeriod(text: string): string {
  if (text !== 'total' && text !== 'monthly') throw new UsageError(`--budget-period: '${text}' is not total or monthly.`);
  return text;
}

function amount(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag}: '${text}' is not an amount.`);
  return n;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `12h`, `90m`, `2w` from now, or an ISO 8601 time passed through for the server to check. */
export function expiry(text: string, now: number): string {
  const duration = /^(\d+)([mhdw])$/.exec(text.trim());
  if (duration) return new Date(now + Number(duration[1]) * UNIT_MS[duration[2]!]!).toISOString();
  if (Number.isNaN(Date.parse(text))) throw new UsageError(`--expires: '${text}' is neither an ISO 8601 time nor a duration like 30d.`);
  return text;
}

export function printJson(io: CliIo, value: unknown): number {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

export function printTable(io: CliIo, header: string[], rows: Record<string, unknown>[], fields: string[]): void {
  const cells = rows.map((row) => fields.map((f) => (row[f] === null || row[f] === undefined ? '-' : String(row[f]))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  for (const line of [header, ...cells]) io.stdout(`${line.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  if (rows.length === 0) io.stdout('(none)\n');
}

/** The process's own streams, network and files: the CLI is a composition root. */
export function defaultIo(): CliIo {
  return {
    fetch: globalThis.fetch,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    now: () => Date.now(),
  };
}
