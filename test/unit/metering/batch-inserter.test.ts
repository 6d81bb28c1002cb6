import { afterEach, expect, it } from 'vitest';
import { usageEventRow } from '../../../src/metering/usage-event.js';
import { createBatchInserter } from '../../../src/metering/insert-ignoring-duplicates.js';
import type { MeteringTables, RequestLogsTable, UsageEventsTable } from '../../../src/metering/tables.js';
import type { Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';
import { event, openMigrated } from './make-event.js';

describeEachStore('metering batch inserter', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  const row = (i: number): UsageEventsTable => usageEventRow(event({ requestId: `req_${i}`, attempt: 0 }));
  const ids = async () =>
    (await store!.db.withTables<MeteringTables>().selectFrom('usage_events').select('id').orderBy('id').execute()).map((r) => r.id);

  it('inserts batches of any size once each, ignoring ids it already has', async () => {
    store = await openMigrated(backend);
    const insert = createBatchInserter(store, 'usage_events');
    const first = Array.from({ length: 70 }, (_, i) => row(i));
    await insert(first);
    // A replay of part of it, plus new rows, across the statement sizes.
    await insert([...first.slice(30, 65), row(70), row(71)]);
    await insert([]);
    const stored = await ids();
    expect(stored).toHaveLength(72);
    expect(new Set(stored).size).toBe(72);
    const one = await store.db.withTables<MeteringTables>().selectFrom('usage_events').selectAll().where('id', '=', first[33]!.id).executeTakeFirstOrThrow();
    expect(one).toEqual(first[33]);
  });

  it('leaves an open transaction alone: rows go in after it, and survive its rollback', async () => {
    store = await openMigrated(backend);
    const insert = createBatchInserter(store, 'usage_events');
    const db = store.db.withTables<MeteringTables>();
    let pending: Promise<void> | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('usage_events').values(row(1)).execute();
        pending = insert([row(2), row(3)]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await pending;
    expect(await ids()).toEqual([row(2).id, row(3).id]);
  });

  it('keeps text exactly, quotes, backslashes, braces and the word NULL included', async () => {
    store = await openMigrated(backend);
    const insert = createBatchInserter(store, 'request_logs');
    const tricky = ['{"a": "b\\"c"}', 'NULL', '', 'a,b}{', 'ünïcødé 中文 \\N', ' spaced '];
    const logs: RequestLogsTable[] = tricky.map((text, i) => ({
      id: `req_${i}`, ts: 1_764_064_800_000 + i, org_id: i % 2 ? null : 'org_a', key_id: null, endpoint: 'chat', model: 'm',
      deployment_id: null, provider: null, status: 200, error_code: null, error_message: text, latency_ms: i, ttft_ms: null,
      input_tokens: 12, output_tokens: null, cost: i === 1 ? 1.5e-7 : null, stream: i % 2, request_body: text, response_body: null,
    }));
    await insert(logs);
    const stored = await store.db.withTables<MeteringTables>().selectFrom('request_logs').selectAll().orderBy('id').execute();
    expect(stored).toEqual(logs);
  });

  it('rows of another shape still go in', async () => {
    store = await openMigrated(backend);
    const insert = createBatchInserter(store, 'usage_events');
    const { app_id: _appId, ...withoutAppId } = row(5);
    await insert([row(4), withoutAppId as UsageEventsTable]);
    expect(await ids()).toEqual([row(4).id, row(5).id]);
  });
});
