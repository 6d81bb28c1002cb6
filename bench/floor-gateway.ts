import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { fsync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { announce, announcePort, exitWithParent, portArg } from './child-lifecycle.js';

/**
 * The bench's `floor` target: the least a gateway can do per request and still do the duties the
 * issues put on Baimo's request path, written straight on node:http with no layers, to show what
 * any gateway doing this work costs on this machine. Per request it
 *
 * - authenticates a bearer key by its HMAC (keys are stored hashed) against an in-memory map;
 * - parses the JSON body and checks the model and the messages;
 * - admits the call against RPM, TPM, concurrency and budget of both the key and its org
 *   (debt-style token buckets, as src/limits/token-bucket.ts), reserving an estimate;
 * - renames the model and calls the upstream through an undici pool;
 * - settles both scopes on the upstream's usage;
 * - journals a usage event before the reply completes (the lines of one event-loop turn in one
 *   `write`, as src/metering/journal.ts does) and inserts the events into SQLite in batches.
 *
 * It leaves out everything else Baimo does (request log, metrics, full schema validation, router,
 * retries, circuit breaker, timeouts, adapters, rate-limit headers beyond one): it is a lower
 * bound, not a product. It is not part of Baimo and serves only `POST /v1/chat/completions`
 * for the model `bench-model`.
 */

const PUBLIC_MODEL = 'bench-model';
const UPSTREAM_MODEL = 'mock-model';
const WINDOW_MS = 60_000;
/** Prices per 1M tokens in micro-units per token: 0.5 and 1.5 (the bench model's price). */
const PRICE_IN = 0.5;
const PRICE_OUT = 1.5;

interface Scope {
  rpm: number;
  tpm: number;
  maxConcurrency: number;
  budgetMicros: number;
  requestDebt: number;
  requestAt: number;
  tokenDebt: number;
  tokenAt: number;
  inFlight: number;
  spentMicros: number;
  reservedMicros: number;
}

interface Tenant {
  keyId: string;
  orgId: string;
  key: Scope;
  org: Scope;
}

interface UsageEvent {
  id: string;
  request_id: string;
  org_id: string;
  key_id: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  created_at: number;
}

const newScope = (): Scope => ({
  rpm: 10_000_000,
  tpm: 1_000_000_000,
  maxConcurrency: 100_000,
  budgetMicros: 1e18,
  requestDebt: 0,
  requestAt: 0,
  tokenDebt: 0,
  tokenAt: 0,
  inFlight: 0,
  spentMicros: 0,
  reservedMicros: 0,
});

const drained = (debt: number, at: number, perMinute: number, now: number) => Math.max(0, debt - perMinute * Math.max(0, now - at));

function admit(s: Scope, tokens: number, costMicros: number, now: number): boolean {
  const requestDebt = drained(s.requestDebt, s.requestAt, s.rpm, now);
  const tokenDebt = drained(s.tokenDebt, s.tokenAt, s.tpm, now);
  if (requestDebt + WINDOW_MS > s.rpm * WINDOW_MS || tokenDebt + tokens * WINDOW_MS > s.tpm * WINDOW_MS) return false;
  if (s.inFlight >= s.maxConcurrency || s.spentMicros + s.reservedMicros + costMicros > s.budgetMicros) return false;
  s.requestDebt = requestDebt + WINDOW_MS;
  s.requestAt = now;
  s.tokenDebt = tokenDebt + tokens * WINDOW_MS;
  s.tokenAt = now;
  s.inFlight++;
  s.reservedMicros += costMicros;
  return true;
}

function settle(s: Scope, reserved: { tokens: number; costMicros: number }, tokens: number, costMicros: number, now: number): void {
  s.inFlight--;
  s.reservedMicros -= reserved.costMicros;
  s.spentMicros += costMicros;
  s.tokenDebt = Math.max(0, drained(s.tokenDebt, s.tokenAt, s.tpm, now) + (tokens - reserved.tokens) * WINDOW_MS);
  s.tokenAt = now;
}

/** Usage events journaled one write per event-loop turn, inserted into SQLite every 200 ms. */
function createMeter(dir: string) {
  const fd = openSync(join(dir, 'usage.jsonl'), 'a');
  const db = new Database(join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE usage_events (id TEXT PRIMARY KEY, request_id TEXT, org_id TEXT, key_id TEXT, model TEXT,
    input_tokens INTEGER, output_tokens INTEGER, cost_micros INTEGER, created_at INTEGER);
    CREATE INDEX usage_by_org ON usage_events (org_id, created_at)`);
  const insert = db.prepare('INSERT OR IGNORE INTO usage_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertAll = db.transaction((events: UsageEvent[]) => {
    for (const e of events) insert.run(e.id, e.request_id, e.org_id, e.key_id, e.model, e.input_tokens, e.output_tokens, e.cost_micros, e.created_at);
  });
  let queued: UsageEvent[] = [];
  let turn: UsageEvent[] = [];
  let waiting: (() => void)[] = [];
  const writeTurn = () => {
    let text = '';
    for (const event of turn) text += `${JSON.stringify(event)}\n`;
    writeSync(fd, text);
    queued.push(...turn);
    turn = [];
    const ready = waiting;
    waiting = [];
    for (const reply of ready) reply();
  };
  const timer = setInterval(() => {
    if (queued.length === 0) return;
    insertAll(queued);
    queued = [];
    fsync(fd, () => undefined);
  }, 200);
  return {
    /** Journal the event with this turn's others; `reply` runs once it is written. */
    record(event: UsageEvent, reply: () => void): void {
      if (turn.length === 0) setImmediate(writeTurn);
      turn.push(event);
      waiting.push(reply);
    },
    close(): void {
      clearInterval(timer);
      if (queued.length) insertAll(queued);
      db.close();
    },
  };
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: status === 401 ? 'authentication_error' : 'invalid_request_error' } }));
}

/** Usage from the tail of an OpenAI-style stream (its usage chunk precedes `[DONE]`). */
const STREAM_USAGE = /"prompt_tokens":(\d+),"completion_tokens":(\d+)/;

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'baimo-floor-'));
  const meter = createMeter(dir);
  const secret = randomBytes(32);
  const hash = (key: string) => createHmac('sha256', secret).update(key).digest('base64url');
  // The orchestrator passes the key it sends every target, so request sizes stay equal.
  const plaintext = process.env.BENCH_FLOOR_KEY || `sk-bm-${randomBytes(24).toString('base64url')}`;
  const org = newScope();
  const tenants = new Map<string, Tenant>([[hash(plaintext), { keyId: 'key_floor', orgId: 'org_floor', key: newScope(), org }]]);
  const upstream = new Pool(`http://127.0.0.1:${portArg('upstream')}`, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const auth = req.headers.authorization;
    const tenant = auth?.startsWith('Bearer ') ? tenants.get(hash(auth.slice(7))) : undefined;
    if (!tenant) return fail(res, 401, 'Incorrect API key provided.');
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return fail(res, 404, 'Only POST /v1/chat/completions is served.');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: { model?: unknown; messages?: unknown; max_tokens?: unknown; stream?: unknown };
      try {
        body = JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString()) as typeof body;
      } catch {
        return fail(res, 400, 'We could not parse the JSON body of your request.');
      }
      if (body.model !== PUBLIC_MODEL) return fail(res, 404, `The model \`${String(body.model)}\` does not exist.`);
      if (!Array.isArray(body.messages) || body.messages.length === 0) return fail(res, 400, '`messages` must be a non-empty array.');
      let chars = 0;
      for (const m of body.messages as { content?: unknown }[]) chars += typeof m?.content === 'string' ? m.content.length : 0;
      const tokens = Math.ceil(chars / 4) + 4 * body.messages.length + (typeof body.max_tokens === 'number' ? body.max_tokens : 4096);
      const reserved = { tokens, costMicros: Math.ceil(tokens * PRICE_OUT) };
      const now = Date.now();
      if (!admit(tenant.key, tokens, reserved.costMicros, now)) return fail(res, 429, 'Rate limit reached for this key.');
      if (!admit(tenant.org, tokens, reserved.costMicros, now)) {
        settle(tenant.key, reserved, 0, 0, now);
        return fail(res, 429, 'Rate limit reached for this organization.');
      }
      const requestId = randomUUID();
      const finish = (input: number, output: number, reply: () => void) => {
        const costMicros = Math.round(input * PRICE_IN + output * PRICE_OUT);
        const at = Date.now();
        settle(tenant.key, reserved, input + output, costMicros, at);
        settle(tenant.org, reserved, input + output, costMicros, at);
        const event = { id: randomUUID(), request_id: requestId, org_id: tenant.orgId, key_id: tenant.keyId, model: PUBLIC_MODEL, input_tokens: input, output_tokens: output, cost_micros: costMicros, created_at: at };
        meter.record(event, reply);
      };
      const wire = JSON.stringify({ ...body, model: UPSTREAM_MODEL });
      upstream.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-floor-upstream' }, body: wire }, (err, data) => {
        if (err) {
          settle(tenant.key, reserved, 0, 0, Date.now());
          settle(tenant.org, reserved, 0, 0, Date.now());
          return fail(res, 502, err.message);
        }
        if (body.stream === true) {
          res.writeHead(data.statusCode, { 'content-type': 'text/event-stream', 'x-request-id': requestId });
          let tail = '';
          data.body.on('data', (chunk: Buffer) => {
            const text = chunk.toString();
            tail = (tail + text).slice(-4096);
            const done = text.indexOf('data: [DONE]');
            if (done === -1) return void res.write(text);
            if (done > 0) res.write(text.slice(0, done));
            const usage = STREAM_USAGE.exec(tail);
            // The last frame waits for the usage event's journal line, as Baimo's relay does.
            finish(Number(usage?.[1] ?? 0), Number(usage?.[2] ?? 0), () => res.end(text.slice(done)));
          });
          return;
        }
        data.body.text().then((text) => {
          const answer = JSON.parse(text) as { model?: string; usage?: { prompt_tokens?: number; completion_tokens?: number } };
          answer.model = PUBLIC_MODEL;
          const payload = JSON.stringify(answer);
          finish(answer.usage?.prompt_tokens ?? 0, answer.usage?.completion_tokens ?? 0, () => {
            res.writeHead(data.statusCode, {
              'content-type': 'application/json',
              'x-request-id': requestId,
              'x-ratelimit-remaining-requests': String(Math.floor((tenant.key.rpm * WINDOW_MS - tenant.key.requestDebt) / WINDOW_MS)),
            });
            res.end(payload);
          });
        }, (e: unknown) => fail(res, 502, String(e)));
      });
    });
  });

  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    announce('tenant-key', plaintext);
    announce('data-dir', dir);
    announcePort(address.port);
  });
  exitWithParent(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await upstream.close();
    meter.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

main();
