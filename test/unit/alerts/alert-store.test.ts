import { afterEach, expect, it, vi } from 'vitest';
import { alertsMigrations, createAlertStore, createBudgetAlerts, type AlertInput } from '../../../src/alerts/index.js';
import { jobsMigrations, type JobsTable } from '../../../src/jobs/queue.js';
import { decodeCursor } from '../../../src/metering/index.js';
import { migrate, type Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';

const T0 = Date.UTC(2026, 10, 25, 8);

const crossing: AlertInput = { orgId: 'org_a', keyId: 'key_a', scopeId: 'key:key_a', period: null, threshold: 0.5, budget: 1, spent: 0.6, currency: 'USD' };

describeEachStore('budget alert store', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function open() {
    store = await backend.open();
    await migrate(store.db, store.dialect, [jobsMigrations, alertsMigrations]);
    let n = 0;
    let clock = T0;
    return createAlertStore({ store, now: () => (clock += 1000), newId: (p) => `${p}_${String(++n).padStart(4, '0')}` });
  }

  it('stores a crossing once: the same one again (a replay, a second replica) inserts nothing', async () => {
    const alerts = await open();
    const first = await alerts.record(crossing);
    expect(first).toMatchObject({ object: 'budget_alert', org_id: 'org_a', key_id: 'key_a', threshold: 0.5, budget: 1, spent: 0.6, currency: 'USD', period: null });
    expect(await alerts.record({ ...crossing, spent: 0.61 })).toBeUndefined();
    // A changed budget, another threshold or another month is a new crossing.
    expect(await alerts.record({ ...crossing, budget: 2 })).toBeDefined();
    expect(await alerts.record({ ...crossing, threshold: 0.8, spent: 0.85 })).toBeDefined();
    expect(await alerts.record({ ...crossing, scopeId: 'key:key_a@2026-12', period: '2026-12' })).toBeDefined();
    const page = await alerts.list({ limit: 10 });
    expect(page.data).toHaveLength(4);
    expect(page.data.filter((a) => a.threshold === 0.5 && a.budget === 1 && a.period === null)).toHaveLength(1);
  });

  it('runs the delivery enqueue in the insert transaction, and not at all for a duplicate', async () => {
    const alerts = await open();
    const also = vi.fn(async () => undefined);
    await alerts.record(crossing, also);
    await alerts.record(crossing, also);
    expect(also).toHaveBeenCalledTimes(1);
    // A failing enqueue rolls the alert back, so a retry stores and enqueues it again.
    await expect(alerts.record({ ...crossing, threshold: 0.9 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await alerts.list({ limit: 10 })).data.map((a) => a.threshold)).toEqual([0.5]);
  });

  it('lists newest first, per org, cursor-paged', async () => {
    const alerts = await open();
    for (const threshold of [0.1, 0.2, 0.3]) await alerts.record({ ...crossing, threshold });
    await alerts.record({ ...crossing, orgId: 'org_b', keyId: null, scopeId: 'org:org_b' });
    const first = await alerts.list({ orgId: 'org_a', limit: 2 });
    expect(first.data.map((a) => a.threshold)).toEqual([0.3, 0.2]);
    expect(first.has_more).toBe(true);
    const second = await alerts.list({ orgId: 'org_a', limit: 2, cursor: decodeCursor(first.next_cursor!) });
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.data.map((a) => a.threshold)).toEqual([0.1]);
    expect((await alerts.list({ orgIds: ['org_b'], limit: 10 })).data).toEqual([expect.objectContaining({ org_id: 'org_b', key_id: null })]);
    expect((await alerts.list({ orgIds: [], limit: 10 })).data).toEqual([]);
  });

  it("reads a limiter report's scope: key or org, month, and enqueues a delivery only when the org has a webhook", async () => {
    const alertStore = await open();
    const queue = { enqueue: vi.fn(async (job: { kind: string }, trx?: unknown) => (trx ? job.kind : 'no-trx')), wake: vi.fn() };
    const urls: Record<string, string | null> = { org_a: 'https://hooks.example.com/x?token=s', org_b: null };
    const budgetAlerts = createBudgetAlerts({ alerts: alertStore, queue, webhookUrlOf: async (id) => urls[id], currency: () => 'CNY', log: () => undefined });
    const a = await budgetAlerts.record({ orgId: 'org_a', keyId: 'key_a' }, { scopeId: 'key:key_a@2026-11', threshold: 0.5, spent: 5, budget: 10 });
    expect(a).toMatchObject({ org_id: 'org_a', key_id: 'key_a', period: '2026-11', currency: 'CNY' });
    expect(queue.enqueue).toHaveBeenCalledWith({ kind: 'alert.webhook', orgId: 'org_a', payload: { alert_id: a!.id } }, expect.anything());
    expect(queue.wake).toHaveBeenCalledTimes(1);
    budgetAlerts.report({ orgId: 'org_b', keyId: 'key_b' }, { scopeId: 'org:org_b', threshold: 0.8, spent: 8, budget: 10 });
    await budgetAlerts.idle();
    expect((await alertStore.list({ orgId: 'org_b', limit: 5 })).data).toEqual([expect.objectContaining({ key_id: null, period: null, threshold: 0.8 })]);
    expect(queue.enqueue).toHaveBeenCalledTimes(1);
    // No job rows were written by the fake queue; the real one writes into the same transaction.
    expect(await (store!.db.withTables<{ jobs: JobsTable }>()).selectFrom('jobs').selectAll().execute()).toEqual([]);
  });
});
