/**
 * What the bench measures Baimo in: how the load generator authenticates (a limited tenant key,
 * or the platform master key, which skips tenancy limits), and where Baimo keeps its state
 * (embedded SQLite + in-memory limiter, or PostgreSQL + Redis as in scale-out mode).
 */

export type BenchAuth = 'tenant' | 'master';
export type BenchStore = 'embedded' | 'postgres';

/**
 * Limits set on the bench's tenant key and on its org: far above anything the bench can reach,
 * so nothing is refused, yet every request is checked against each of them (RPM, TPM,
 * concurrency and budget, key and org). A saturated run is about 10k req/s × ~40 estimated
 * tokens ≈ 24M tokens a minute. The admin API caps rpm/tpm at 1e9, concurrency at 1e6 and budgets
 * at 1e12.
 */
export const BENCH_LIMITS = { rpm: 10_000_000, tpm: 1_000_000_000, max_concurrency: 100_000, budget: 1e12 } as const;

/** Redis database index the bench flushes and uses, unless BENCH_REDIS_DB says otherwise (tests use 0 and 7). */
export const DEFAULT_REDIS_DB = 11;

export function parseAuth(value: string | undefined): BenchAuth {
  const v = value || 'tenant';
  if (v !== 'tenant' && v !== 'master') throw new Error(`BENCH_AUTH must be 'tenant' or 'master', not '${v}'`);
  return v;
}

export function parseStore(value: string | undefined): BenchStore {
  const v = value || 'embedded';
  if (v !== 'embedded' && v !== 'postgres') throw new Error(`BENCH_STORE must be 'embedded' or 'postgres', not '${v}'`);
  return v;
}

export function describeMode(auth: BenchAuth, store: BenchStore): string {
  const who = auth === 'tenant' ? 'tenant key (limits on key and org checked per request)' : 'master key (no tenant limits)';
  const where = store === 'embedded' ? 'embedded store (SQLite, in-memory limiter)' : 'PostgreSQL + Redis';
  return `${who}, ${where}`;
}
