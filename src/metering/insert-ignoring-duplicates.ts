import type { Statement } from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Store } from '../store/index.js';
import { METERING_PG_TYPES, type MeteringTables } from './tables.js';

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

/** Rows per statement on the prepared SQLite path: fewer statement runs, a bounded parameter count. */
const ROWS_PER_STATEMENT = 32;

/**
 * `insertIgnoringDuplicates` bound to one table of a store, without Kysely building and
 * compiling a 500-row statement on every flush (and the database parsing one of a new size each
 * time): together ~8 µs per row in the bench.
 *
 * - Embedded SQLite: statements prepared once (ROWS_PER_STATEMENT rows, then one row at a time for
 *   the rest) run inside one transaction.
 * - PostgreSQL: one statement with one array parameter per column,
 *   `insert … select * from unnest($1::text[], …) on conflict ("id") do nothing`.
 *
 * Same rows, same conflict rule as the Kysely path. Anything unusual goes the Kysely way: rows
 * whose columns differ from the first one's or hold `undefined` (which Kysely omits), and on
 * SQLite a transaction already open on the connection (a Kysely transaction spans awaits, and
 * these rows must not join it).
 */
export function createBatchInserter<T extends keyof MeteringTables>(
  store: Pick<Store, 'db' | 'sqlite' | 'dialect'>,
  table: T,
): (rows: MeteringTables[T][]) => Promise<void> {
  const db = store.db.withTables<MeteringTables>();
  const sqlite = store.sqlite;
  if (store.dialect === 'postgres') return createPgInserter(db, table);
  if (!sqlite) return (rows) => insertIgnoringDuplicates(db, table, rows);
  let prepared: { columns: string[]; run: (rows: MeteringTables[T][]) => void } | undefined;
  const statementFor = (columns: string[]) => {
    if (prepared && sameColumns(prepared.columns, columns)) return prepared.run;
    const width = columns.length;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const sql = (rowCount: number) =>
      `insert into ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) values ${Array(rowCount).fill(tuple).join(', ')} ` +
      `on conflict (${quoteIdentifier('id')}) do nothing`;
    const many: Statement<unknown[]> = sqlite.prepare(sql(ROWS_PER_STATEMENT));
    const one: Statement<unknown[]> = sqlite.prepare(sql(1));
    const manyValues: unknown[] = new Array(width * ROWS_PER_STATEMENT);
    const oneValues: unknown[] = new Array(width);
    const fill = compileRowReader(columns).fill;
    const run = sqlite.transaction((batch: MeteringTables[T][]) => {
      let next = 0;
      for (; next + ROWS_PER_STATEMENT <= batch.length; next += ROWS_PER_STATEMENT) {
        for (let r = 0; r < ROWS_PER_STATEMENT; r++) fill(manyValues, r * width, batch[next + r]!);
        many.run(manyValues);
      }
      for (; next < batch.length; next++) {
        fill(oneValues, 0, batch[next]!);
        one.run(oneValues);
      }
    });
    prepared = { columns, run };
    return run;
  };
  let reader: { columns: string[]; uniform: RowReader['uniform'] } | undefined;
  return async (rows) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    if (!reader || !sameColumns(reader.columns, columns)) reader = { columns, uniform: compileRowReader(columns).uniform };
    const { uniform } = reader;
    if (sqlite.inTransaction || !rows.every((row) => uniform(row))) {
      return insertIgnoringDuplicates(db, table, rows);
    }
    statementFor(columns)(rows);
  };
}

function createPgInserter<T extends keyof MeteringTables>(db: Kysely<MeteringTables>, table: T): (rows: MeteringTables[T][]) => Promise<void> {
  const types = METERING_PG_TYPES[table] as Record<string, string>;
  let prepared: { columns: string[]; sql: string } | undefined;
  const sqlFor = (columns: string[]) => {
    if (prepared && sameColumns(prepared.columns, columns)) return prepared.sql;
    const arrays = columns.map((column, i) => `$${i + 1}::${types[column]}[]`).join(', ');
    const sql =
      `insert into ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) ` +
      `select * from unnest(${arrays}) on conflict (${quoteIdentifier('id')}) do nothing`;
    prepared = { columns, sql };
    return sql;
  };
  return async (rows) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const { uniform } = compileRowReader(columns);
    if (!columns.every((column) => column in types) || !rows.every((row) => uniform(row))) {
      return insertIgnoringDuplicates(db, table, rows);
    }
    const arrays = columns.map(() => new Array<unknown>(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const record = rows[r] as Record<string, unknown>;
      for (let c = 0; c < columns.length; c++) arrays[c]![r] = record[columns[c]!];
    }
    await db.executeQuery(CompiledQuery.raw(sqlFor(columns), arrays));
  };
}

interface RowReader {
  /** Copies the row's values, in column order, into `values` from index `at`. */
  fill(values: unknown[], at: number, row: unknown): void;
  /** The row has exactly these columns, none of them undefined. */
  uniform(row: unknown): boolean;
}

/**
 * Row access compiled for one column list: a property read per column by its literal name, which
 * V8 turns into monomorphic loads, instead of a keyed lookup by a name from an array (the bench
 * profile's top Baimo function while a batch is inserted). Names are embedded as JSON string
 * literals, so any name is safe.
 */
function compileRowReader(columns: string[]): RowReader {
  const read = columns.map((column) => `row[${JSON.stringify(column)}]`);
  const fill = new Function('values', 'at', 'row', read.map((r, i) => `values[at + ${i}] = ${r};`).join('\n')) as RowReader['fill'];
  const uniform = new Function(
    'row',
    `let count = 0;\nfor (const key in row) count++;\nreturn count === ${columns.length}${read.map((r) => ` && ${r} !== undefined`).join('')};`,
  ) as RowReader['uniform'];
  return { fill, uniform };
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column, i) => column === b[i]);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
