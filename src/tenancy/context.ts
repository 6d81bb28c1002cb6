import type { Transaction } from 'kysely';
import type { Dialect } from '../store/index.js';
import type { ChangeFeed, ChangeScope } from './change-feed.js';
import type { TenancyDb, TenancyTables } from './tables.js';

/** What every tenancy function works with; built once by createTenancy. */
export interface TenancyContext {
  db: TenancyDb;
  dialect: Dialect;
  now: () => number;
  newId: (prefix: string) => string;
  randomBytes: (n: number) => Buffer;
  feed: ChangeFeed;
}

/**
 * Runs a change that affects key authentication: the version bump commits with it, and the
 * local cache and the peers hear of it only after the commit (never a state that might roll back).
 */
export async function mutate<T>(
  ctx: TenancyContext,
  scopeOf: (result: T) => ChangeScope,
  change: (trx: Transaction<TenancyTables>) => Promise<T>,
): Promise<T> {
  let version = 0;
  const result = await ctx.db.transaction().execute(async (trx) => {
    const out = await change(trx);
    version = await ctx.feed.bump(trx);
    return out;
  });
  ctx.feed.announce(version, scopeOf(result));
  return result;
}

/** A unique index refused the row (SQLite and PostgreSQL report it differently). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
