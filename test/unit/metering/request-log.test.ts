import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createRequestLogQueries, createRequestLogWriter, decodeCursor, startRetentionPurge, type RequestLogEntry } from '../../../src/metering/index.js';
import type { Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';
import { openMigrated, T0, tempDir } from './make-event.js';

const DAY = 86_400_000;

function entry(over: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    requestId: 'req_1',
    ts: T0,
    orgId: 'org_a',
    keyId: 'key_a1',
    endpoint: 'chat',
    model: 'qwen3-8b',
    deploymentId: 'qwen3-8b#0',
    provider: 'local-vllm',
    status: 200,
    latencyMs: 321,
    ttftMs: 45,
    inputTokens: 10,
    outputTokens: 20,
    cost: 0.00003,
    stream: true,
    ...over,
  };
}

describeEachStore('request log', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function write(entries: [RequestLogEntry, Parameters<ReturnType<typeof createRequestLogWriter>['record']>[1]?][], maxBodyBytes?: number) {
    store ??= await openMigrated(backend);
    const dir = tempDir();
    const writer = createRequestLogWriter({ store, journalDir: dir, now: () => T0, flushIntervalMs: 0, maxBodyBytes });
    for (const [e, bodies] of entries) writer.record(e, bodies);
    await writer.close();
    return { logs: createRequestLogQueries({ store }), dir };
  }

  it('stores metadata for every request; bodies only with the org opt-in, redacted, never in the journal in clear', async () => {
    store = await openMigrated(backend);
    const dir = tempDir();
    const writer = createRequestLogWriter({ store, journalDir: dir, now: () => T0, flushIntervalMs: 0, maxBodyBytes: 200 });
    const requestBody = { model: 'qwen3-8b', api_key: 'sk-live-0123456789abcdef', messages: [{ role: 'user', content: 'x'.repeat(500) }] };
    writer.record(entry({ requestId: 'with' }), { logBodies: true, requestBody, responseBody: { id: 'c1', choices: [] } });
    writer.record(entry({ requestId: 'without' }), { logBodies: false, requestBody, responseBody: { id: 'c2' } });
    const journal = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(journal).not.toContain('sk-live-0123456789abcdef');
    await writer.close();

    const logs = createRequestLogQueries({ store });
    const withBodies = await logs.getRequestLog('with', {});
    expect(withBodies).toMatchObject({
      id: 'with',
      created_at: new Date(T0).toISOString(),
      org_id: 'org_a',
      status: 200,
      latency_ms: 321,
      ttft_ms: 45,
      input_tokens: 10,
      cost: 0.00003,
      stream: true,
      response_body: '{"id":"c1","choices":[]}',
    });
    expect(withBodies!.request_body).toContain('"api_key":"[REDACTED]"');
    expect(withBodies!.request_body).toMatch(/…\[truncated: \d+ bytes\]$/);
    expect(await logs.getRequestLog('without', {})).toMatchObject({ request_body: null, response_body: null });
  });

  it('keeps unknown tokens and cost as null, and error details', async () => {
    const { logs } = await write([[entry({ status: 429, errorCode: 'rate_limit_exceeded', errorMessage: 'Slow down (key sk-abcdefghijkl).', inputTokens: null, outputTokens: null, cost: null, ttftMs: null })]]);
    expect(await logs.getRequestLog('req_1', {})).toMatchObject({
      status: 429,
      error_code: 'rate_limit_exceeded',
      error_message: 'Slow down (key sk-[REDACTED]).',
      input_tokens: null,
      cost: null,
      ttft_ms: null,
    });
  });

  it('recovers journaled logs after a simulated kill -9, skipping a torn line', async () => {
    store = await openMigrated(backend);
    const dir = tempDir();
    const first = createRequestLogWriter({ store, journalDir: dir, now: () => T0, flushIntervalMs: 0 });
    first.record(entry({ requestId: 'a' }));
    first.record(entry({ requestId: 'b' }));
    await first.durable();
    appendFileSync(join(dir, readdirSync(dir)[0]!), '{"id":"c","ts":');
    const second = createRequestLogWriter({ store, journalDir: dir, now: () => T0, flushIntervalMs: 0 });
    expect(await second.recover()).toMatchObject({ replayed: 2, skipped: 1 });
    const page = await createRequestLogQueries({ store }).listRequestLogs({ limit: 10 });
    expect(page.data.map((d) => d.id).sort()).toEqual(['a', 'b']);
    await second.close();
  });

  it('lists newest first with filters and a stable cursor', async () => {
    const entries: [RequestLogEntry][] = [];
    for (let i = 0; i < 7; i++) {
      entries.push([entry({ requestId: `r${i}`, ts: T0 + i * 1000, status: i % 3 === 0 ? 502 : 200, model: i < 5 ? 'qwen3-8b' : 'deepseek-chat', orgId: i === 6 ? 'org_b' : 'org_a' })]);
    }
    entries.push([entry({ requestId: 'same-ts-b', ts: T0 + 3000 })], [entry({ requestId: 'same-ts-a', ts: T0 + 3000 })]);
    const { logs } = await write(entries);

    const seen: string[] = [];
    let cursor;
    do {
      const page = await logs.listRequestLogs({ limit: 4, cursor, orgId: 'org_a' });
      seen.push(...page.data.map((d) => d.id));
      expect(page.data.every((d) => !('request_body' in d))).toBe(true);
      cursor = page.next_cursor ? decodeCursor(page.next_cursor) : undefined;
    } while (cursor);
    // Equal timestamps page by id, descending, so no row is skipped or repeated at a page edge.
    expect(seen).toEqual(['r5', 'r4', 'same-ts-b', 'same-ts-a', 'r3', 'r2', 'r1', 'r0']);

    expect((await logs.listRequestLogs({ limit: 50, status: { min: 500, max: 599 } })).data.map((d) => d.id)).toEqual(['r6', 'r3', 'r0']);
    expect((await logs.listRequestLogs({ limit: 50, status: 200, model: 'deepseek-chat' })).data.map((d) => d.id)).toEqual(['r5']);
    expect((await logs.listRequestLogs({ limit: 50, from: T0 + 1000, to: T0 + 3000 })).data.map((d) => d.id)).toEqual(['r2', 'r1']);
    expect((await logs.listRequestLogs({ limit: 50, orgIds: ['org_b'] })).data.map((d) => d.id)).toEqual(['r6']);
    expect((await logs.listRequestLogs({ limit: 50, orgIds: [] })).data).toEqual([]);
    expect(await logs.getRequestLog('r6', { orgIds: ['org_a'] })).toBeUndefined();
  });

  it('purges request logs past retention in bounded batches, and never usage events', async () => {
    const entries: [RequestLogEntry][] = [];
    for (let i = 0; i < 25; i++) entries.push([entry({ requestId: `old${i}`, ts: T0 - 40 * DAY + i })]);
    entries.push([entry({ requestId: 'recent', ts: T0 - DAY })]);
    const { logs } = await write(entries);
    const purge = startRetentionPurge({ store: store!, retentionDays: 30, intervalMs: 60_000, batchSize: 10, now: () => T0 });
    await purge.runOnce();
    await purge.runOnce(); // idempotent: nothing left to delete
    await purge.stop();
    expect((await logs.listRequestLogs({ limit: 100 })).data.map((d) => d.id)).toEqual(['recent']);
    expect(() => startRetentionPurge({ store: store!, retentionDays: 0, now: () => T0 })).toThrow(/retentionDays/);
  });
});
