import type { Kysely } from 'kysely';
import type { MeteringTables } from './tables.js';

/**
 * SQLite binds at most 32,766 parameters per statement (PostgreSQL 65,535); rows are chunked to
 * stay under both, all chunks in one transaction.
 */
const MAX_PARAMS = 30_000;

/** One transaction, multi-row inserts; rows whose id already exists are skipped (journal replays). */
export async function insertIgnoringDuplicates<T extends keyof MeteringTables>(
  db: Kysely<MeteringTables>,
  table: T,
  rows: MeteringTables[T][],
): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const chunk = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += chunk) {
      // Kysely cannot narrow a generic table name to its row type; the signature guarantees it.
      const values = rows.slice(i, i + chunk) as never;
      await trx.insertInto(table).values(values).onConflict((oc) => oc.column('id' as never).doNothing()).execute();
    }
  });
}
