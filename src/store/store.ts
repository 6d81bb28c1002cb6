import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';

/**
 * Database connections for both modes (DESIGN.md §5): an embedded SQLite file in the data dir by
 * default, PostgreSQL when a URL is given. `store/` owns connections and migrations only; each
 * module declares its own tables (`db.withTables<…>()`) and queries them itself.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly dialect: Dialect;
  /** Untyped at this level: modules narrow it with `withTables<TheirTables>()`. */
  readonly db: Kysely<object>;
  /**
   * The embedded database's own handle (SQLite only), for hot statements that are worth preparing
   * once rather than having Kysely build and SQLite re-prepare them on every call. Synchronous, so
   * a caller must not use it while `inTransaction` (a Kysely transaction spans awaits).
   */
  readonly sqlite?: SqliteDatabase.Database;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `postgres://…` for scale-out mode; else embedded. */
  databaseUrl?: string;
  /** Embedded database file (e.g. `<data dir>/baimo.db`); `:memory:` for throwaway tests. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves this way); created if missing. */
  pgSchema?: string;
  /** Pool size per process (PostgreSQL). */
  poolSize?: number;
  /** Told about connection errors of idle pooled clients (PostgreSQL). */
  onError?: (err: Error) => void;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts);
  return openSqlite(opts.sqliteFile ?? ':memory:');
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL: readers never block the writer; a committed transaction survives kill -9 (the OS holds
  // the WAL pages). synchronous=NORMAL trades only power-loss durability of the last commits.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  // Statement journals (a multi-row insert that may need to roll back) in memory, not a temp
  // file created and unlinked on every metering batch.
  database.pragma('temp_store = MEMORY');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<object>({ dialect: new SqliteDialect({ database }) });
  return { dialect: 'sqlite', db, sqlite: database, close: () => db.destroy() };
}

async function openPostgres(url: string, opts: OpenStoreOptions): Promise<Store> {
  const schema = opts.pgSchema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name '${schema}'.`);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    options: schema ? `-c search_path=${schema}` : undefined,
    // int8 (counters, ms timestamps) and numeric as JS numbers, per pool rather than globally.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's connection dropping (server restart, failover) emits 'error' on the pool;
  // unhandled, that would crash the process. The pool replaces the client; queries retry on use.
  pool.on('error', (err) => opts.onError?.(err));
  const db = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  return { dialect: 'postgres', db, close: () => db.destroy() };
}
