import { randomBytes } from 'node:crypto';
import { migrate, type Redis, type Store } from '../../src/store/index.js';
import { createTenancy, tenancyMigrations, type Tenancy, type TenancyOptions } from '../../src/tenancy/index.js';

/** A settable clock for expiry and session tests. Starts at 2026-11-25T00:00:00Z. */
export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 10, 25)): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Random ids: several tenancy instances may share one database. */
export const randomId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`;

export const SECRET = Buffer.alloc(32, 7);

export interface TestTenancyOptions {
  now?: () => number;
  redis?: Redis;
  secretKey?: Buffer;
  random?: (n: number) => Buffer;
  logs?: string[];
  options?: Partial<TenancyOptions>;
}

/** Migrates (idempotently) and builds a tenancy over `store`. */
export async function openTenancy(store: Store, opts: TestTenancyOptions = {}): Promise<Tenancy> {
  await migrate(store.db, store.dialect, [tenancyMigrations]);
  return createTenancy({
    store,
    secretKey: opts.secretKey ?? SECRET,
    now: opts.now ?? (() => Date.now()),
    newId: randomId,
    randomBytes: opts.random ?? randomBytes,
    redis: opts.redis,
    log: (message, err) => opts.logs?.push(`${message} ${err instanceof Error ? err.message : ''}`),
    options: opts.options,
  });
}

/** Every cell of every row of `table`, as text, for "the secret is not stored" scans. */
export async function dumpTable(store: Store, table: string): Promise<string> {
  const rows = await store.db.withTables<Record<string, Record<string, unknown>>>().selectFrom(table).selectAll().execute();
  return JSON.stringify(rows);
}

/** Awaits `promise` and returns the BaimoError-ish fields it rejected with (fails if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string; param: string | null }> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (e: unknown) => e as { status: number; code: string; message: string; param: string | null },
  );
  return { status: err.status, code: err.code, message: err.message, param: err.param ?? null };
}
