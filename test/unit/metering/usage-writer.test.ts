import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createUsageQueries, createUsageWriter, type UsageWriter } from '../../../src/metering/index.js';
import type { Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';
import { event, openMigrated, T0, tempDir } from './make-event.js';

describeEachStore('usage writer', (backend) => {
  let store: Store | undefined;
  const writers: UsageWriter[] = [];
  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.close().catch(() => undefined)));
    await store?.close();
    store = undefined;
  });

  const writer = (journalDir: string, over: { batchSize?: number } = {}) => {
    const w = createUsageWriter({ store: store!, journalDir, now: () => T0, flushIntervalMs: 0, ...over });
    writers.push(w);
    return w;
  };
  const rows = () => store!.db.withTables<{ usage_events: { id: string } }>().selectFrom('usage_events').select('id').execute();

  it('survives a simulated kill -9: every recorded event exactly once after recovery, totals matching', async () => {
    store = await openMigrated(backend);
    const dir = tempDir();
    const first = createUsageWriter({ store, journalDir: dir, now: () => T0, flushIntervalMs: 0, batchSize: 7 });
    const recorded = [];
    for (let i = 0; i < 30; i++) {
      const e = event({ requestId: `req_${i}`, stream: i % 2 === 0, usage: { prompt_tokens: 100 + i, completion_tokens: 10 + i, total_tokens: 110 + 2 * i } });
      first.record(e); // batch flushes start on their own as batches fill
      recorded.push(e);
    }
    // The first batch of 7 went in on its own; the other 23 are only journaled.
    await vi.waitFor(() => expect(first.stats()).toMatchObject({ queued: 23, lastFlushAt: T0 }));
    expect((await rows()).length).toBe(7);
    // kill -9: no close(), no final flush; the last write was torn.
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    appendFileSync(join(dir, files.at(-1)!), '{"id":"req_30:1","requestId":"req_');

    const second = writer(dir);
    const result = await second.recover();
    expect(result.skipped).toBe(1);
    const ids = (await rows()).map((r) => r.id).sort();
    expect(ids).toEqual(recorded.map((e) => e.id).sort());

    const report = await createUsageQueries({ store }).usageReport({ from: T0, to: T0 + 1, groupBy: [] });
    expect(report.totals.requests).toBe(30);
    expect(report.totals.input_tokens).toBe(recorded.reduce((s, e) => s + e.inputTokens, 0));
    expect(report.totals.output_tokens).toBe(recorded.reduce((s, e) => s + e.outputTokens, 0));
    expect(report.totals.cost).toBeCloseTo(recorded.reduce((s, e) => s + e.cost!, 0), 9);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  });

  it('stores a re-recorded or replayed event once', async () => {
    store = await openMigrated(backend);
    const dir = tempDir();
    const w = writer(dir);
    const e = event();
    w.record(e);
    w.record(e);
    await w.flush();
    w.record(e);
    await w.close();
    const again = writer(dir);
    await again.recover();
    expect(await rows()).toEqual([{ id: 'req_1:1' }]);
  });

  it('round-trips every field', async () => {
    store = await openMigrated(backend);
    const w = writer(tempDir());
    const e = event({ attempt: 3, stream: true, ttftMs: undefined, usage: undefined, errorCode: 'upstream_timeout', status: 504 });
    w.record(e);
    await w.close();
    const row = await store.db
      .withTables<{ usage_events: Record<string, unknown> }>()
      .selectFrom('usage_events')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      id: 'req_1:3',
      request_id: 'req_1',
      attempt: 3,
      ts: T0,
      org_id: 'org_a',
      key_id: 'key_a1',
      app_id: null,
      stream: 1,
      status: 504,
      error_code: 'upstream_timeout',
      input_tokens: 0,
      usage_estimated: 1,
      cost: 0,
      currency: 'USD',
      latency_ms: 120,
      ttft_ms: null,
    });
  });

  it('drains on close (SIGTERM) and leaves no journal behind', async () => {
    store = await openMigrated(backend);
    const dir = tempDir();
    const w = writer(dir, { batchSize: 500 });
    for (let i = 0; i < 1200; i++) w.record(event({ requestId: `r${i}` }));
    await w.close();
    expect((await rows()).length).toBe(1200);
    expect(readdirSync(dir)).toEqual([]);
  });
});
