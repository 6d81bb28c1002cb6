import type { Statement } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Store } from '../store/index.js';
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

/**
 * `insertIgnoringDuplicates` bound to one table of a store. On embedded SQLite it runs one
 * statement, prepared once, per row inside one transaction: the same SQL as the Kysely path, but
 * Kysely no longer builds and compiles a 500-row statement on every flush, nor SQLite re-parses
 * it (together ~8 µs per row in the bench). Anything unusual goes the Kysely way: a transaction
 * already open on the connection (a Kysely transaction spans awaits, and these rows must not join
 * it), or rows whose columns differ from the first one's or hold `undefined` (which Kysely omits).
 */
export function createBatchInserter<T extends keyof MeteringTables>(
  store: Pick<Store, 'db' | 'sqlite'>,
  table: T,
): (rows: MeteringTables[T][]) => Promise<void> {
  const db = store.db.withTables<MeteringTables>();
  const sqlite = store.sqlite;
  if (!sqlite) return (rows) => insertIgnoringDuplicates(db, table, rows);
  let prepared: { columns: string[]; run: (rows: MeteringTables[T][]) => void } | undefined;
  const statementFor = (columns: string[]) => {
    if (prepared && sameColumns(prepared.columns, columns)) return prepared.run;
    const names = columns.map(quoteIdentifier).join(', ');
    const statement: Statement<unknown[]> = sqlite.prepare(
      `insert into ${quoteIdentifier(table)} (${names}) values (${columns.map(() => '?').join(', ')}) on conflict (${quoteIdentifier('id')}) do nothing`,
    );
    const values: unknown[] = new Array(columns.length);
    const run = sqlite.transaction((batch: MeteringTables[T][]) => {
      for (const row of batch) {
        const record = row as Record<string, unknown>;
        for (let i = 0; i < columns.length; i++) values[i] = record[columns[i]!];
        statement.run(values);
      }
    });
    prepared = { columns, run };
    return run;
  };
  return async (rows) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    if (sqlite.inTransaction || !rows.every((row) => uniform(row as Record<string, unknown>, columns))) {
      return insertIgnoringDuplicates(db, table, rows);
    }
    statementFor(columns)(rows);
  };
}

/** The row has exactly these columns, none of them undefined. */
function uniform(row: Record<string, unknown>, columns: string[]): boolean {
  let count = 0;
  for (const key in row) {
    if (row[key] === undefined) return false;
    count++;
  }
  if (count !== columns.length) return false;
  for (const column of columns) if (!(column in row)) return false;
  return true;
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column, i) => column === b[i]);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
