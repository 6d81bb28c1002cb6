import { afterEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrate, type MigrationSet, type Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';

const first: MigrationSet = {
  '20261125_01_demo': {
    up: async (db) => {
      await db.schema.createTable('demo').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('n', 'bigint', (c) => c.notNull()).addColumn('x', 'double precision').execute();
    },
  },
};
const second: MigrationSet = {
  '20261125_02_demo_more': {
    up: async (db) => {
      await db.schema.alterTable('demo').addColumn('label', 'text').execute();
    },
  },
};

describeEachStore('store migrations', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('applies each migration once, in name order across module sets, and round-trips portable types', async () => {
    store = await backend.open();
    expect(await migrate(store.db, store.dialect, [second, first])).toEqual(['20261125_01_demo', '20261125_02_demo_more']);
    expect(await migrate(store.db, store.dialect, [second, first])).toEqual([]);
    const db = store.db.withTables<{ demo: { id: string; n: number; x: number | null; label: string | null } }>();
    await db.insertInto('demo').values({ id: 'a', n: 1_732_000_000_123, x: 0.25, label: 'ok' }).execute();
    // Idempotent insert, the way usage events are written.
    await db.insertInto('demo').values({ id: 'a', n: 1, x: null, label: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
    const rows = await db.selectFrom('demo').selectAll().execute();
    expect(rows).toEqual([{ id: 'a', n: 1_732_000_000_123, x: 0.25, label: 'ok' }]);
    const sum = await sql<{ s: number }>`select sum(n) as s from demo`.execute(db);
    expect(Number(sum.rows[0]!.s)).toBe(1_732_000_000_123);
  });

  it('refuses duplicate migration names', async () => {
    store = await backend.open();
    await expect(migrate(store.db, store.dialect, [first, first])).rejects.toThrow(/Duplicate migration/);
  });
});
