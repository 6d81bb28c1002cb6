import { afterEach, expect, it } from 'vitest';
import { createUsageQueries, createUsageWriter, usageReportCsv, type UsageEvent } from '../../../src/metering/index.js';
import type { Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';
import { event, openMigrated, T0, tempDir } from './make-event.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Two orgs, two days, a failover (two attempts of one request), an unpriced and an estimated event. */
function fixture(): UsageEvent[] {
  const a = { orgId: 'org_a', keyId: 'key_a1' };
  const a2 = { orgId: 'org_a', keyId: 'key_a2' };
  const b = { orgId: 'org_b', keyId: 'key_b1' };
  return [
    event({ requestId: 'r1', tenant: a, startedAt: T0 }),
    // r2 failed over: attempt 1 on deployment #0 (502, no usage), attempt 2 on #1.
    event({ requestId: 'r2', attempt: 1, tenant: a, startedAt: T0 + 1000, status: 502, usage: undefined }),
    event({ requestId: 'r2', attempt: 2, tenant: a, startedAt: T0 + 2000, deploymentId: 'qwen3-8b#1', provider: 'ascend-mindie' }),
    event({ requestId: 'r3', tenant: a2, startedAt: T0 + HOUR + 5, model: 'deepseek-chat', usage: { prompt_tokens: 200, completion_tokens: 100, total_tokens: 300, prompt_tokens_details: { cached_tokens: 50 }, completion_tokens_details: { reasoning_tokens: 30 } } }),
    event({ requestId: 'r4', tenant: b, startedAt: T0 + DAY }),
    { ...event({ requestId: 'r5', tenant: b, startedAt: T0 + DAY + 1 }), cost: null },
    event({ requestId: 'r6', tenant: undefined, startedAt: T0 + 2 * HOUR }), // operator's own call
  ];
}

describeEachStore('usage queries', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function seeded(events = fixture()) {
    store = await openMigrated(backend);
    const writer = createUsageWriter({ store, journalDir: tempDir(), now: () => T0, flushIntervalMs: 0 });
    for (const e of events) writer.record(e);
    await writer.close();
    return createUsageQueries({ store, currency: () => 'USD' });
  }

  it('totals count distinct requests, sum tokens and cost, and flag estimated and unpriced usage', async () => {
    const q = await seeded();
    const r = await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: [] });
    expect(r.totals).toEqual({
      requests: 6,
      input_tokens: 1000 * 5 + 200,
      output_tokens: 500 * 5 + 100,
      cached_tokens: 50,
      reasoning_tokens: 30,
      cost: 0.00378,
      estimated_requests: 1,
      unpriced_requests: 1,
    });
    expect(r.currency).toBe('USD');
    expect(r.data).toHaveLength(1);
    expect(r.data[0]).toMatchObject({ requests: 6, currency: 'USD' });
  });

  it('groups by org and key; a failover request counts once per group it touched', async () => {
    const q = await seeded();
    const r = await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: ['org', 'key'] });
    expect(r.data.map((d) => [d.org_id, d.key_id, d.requests])).toEqual([
      [null, null, 1],
      ['org_a', 'key_a1', 2],
      ['org_a', 'key_a2', 1],
      ['org_b', 'key_b1', 2],
    ]);
    const byDeployment = await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: ['deployment'], orgId: 'org_a' });
    expect(byDeployment.data.map((d) => [d.deployment_id, d.requests])).toEqual([
      ['qwen3-8b#0', 3],
      ['qwen3-8b#1', 1],
    ]);
    expect(byDeployment.totals.requests).toBe(3); // r2 appears under both deployments, once in totals
  });

  it('buckets by UTC day and hour, combined with other groupings', async () => {
    const q = await seeded();
    const days = await q.usageReport({ from: T0 - DAY, to: T0 + 3 * DAY, groupBy: ['day', 'model'] });
    expect(days.data.map((d) => [d.day, d.model, d.requests])).toEqual([
      ['2026-11-25', 'deepseek-chat', 1],
      ['2026-11-25', 'qwen3-8b', 3],
      ['2026-11-26', 'qwen3-8b', 2],
    ]);
    const hours = await q.usageReport({ from: T0, to: T0 + DAY, groupBy: ['hour'] });
    expect(hours.data.map((d) => [d.hour, d.requests])).toEqual([
      ['2026-11-25T10:00:00Z', 2],
      ['2026-11-25T11:00:00Z', 1],
      ['2026-11-25T12:00:00Z', 1],
    ]);
  });

  it('filters by time range (from inclusive, to exclusive), org, org list and key', async () => {
    const q = await seeded();
    expect((await q.usageReport({ from: T0 + 1000, to: T0 + 2000, groupBy: [] })).totals.requests).toBe(1);
    expect((await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: [], orgId: 'org_b' })).totals.requests).toBe(2);
    expect((await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: [], orgIds: ['org_a', 'org_b'] })).totals.requests).toBe(5);
    expect((await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: [], keyId: 'key_a2' })).totals.requests).toBe(1);
    const none = await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: ['org'], orgIds: [] });
    expect(none).toMatchObject({ data: [], totals: { requests: 0, cost: null } });
  });

  it('never sums across currencies', async () => {
    const q = await seeded([event({ requestId: 'u1' }, 'USD'), event({ requestId: 'c1' }, 'CNY'), event({ requestId: 'c2' }, 'CNY')]);
    const r = await q.usageReport({ from: T0, to: T0 + 1, groupBy: ['model'] });
    expect(r.currency).toBe('mixed');
    expect(r.data.map((d) => [d.currency, d.requests])).toEqual([
      ['CNY', 2],
      ['USD', 1],
    ]);
    expect(r.totals).toMatchObject({ requests: 3, cost: null, cost_by_currency: { CNY: 0.0018, USD: 0.0009 } });
  });

  it('spentBy sums cost per org or key, since a time', async () => {
    const q = await seeded();
    expect(await q.spentBy({ orgId: 'org_a' })).toBe(0.00198);
    expect(await q.spentBy({ keyId: 'key_a1' }, T0 + 1500)).toBe(0.0009);
    expect(await q.spentBy({ orgId: 'org_b' })).toBe(0.0009); // the unpriced event adds nothing
    expect(await q.spentBy({ orgId: 'org_none' })).toBe(0);
    expect(await q.spentBy({ orgId: 'org_a', currency: 'CNY' })).toBe(0);
  });

  it('exports the rows as CSV with a header', async () => {
    const q = await seeded();
    const r = await q.usageReport({ from: T0, to: T0 + 2 * DAY, groupBy: ['day', 'org'] });
    const lines = usageReportCsv(r, ['day', 'org']).trimEnd().split('\r\n');
    expect(lines[0]).toBe('day,org_id,requests,input_tokens,output_tokens,cached_tokens,reasoning_tokens,cost,currency,estimated_requests,unpriced_requests');
    expect(lines).toHaveLength(1 + r.data.length);
    expect(lines[1]).toBe('2026-11-25,,1,1000,500,0,0,0.0009,USD,0,0');
  });
});

