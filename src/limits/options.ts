import type { LimiterOptions } from './types.js';

/** The option defaults both backends share. */
export function leaseOptions(opts: LimiterOptions): { leaseMs: number; concurrencyRetryAfterMs: number } {
  return {
    // Longer than any request the gateway lets run (its total timeout), so only lost admissions expire.
    leaseMs: opts.leaseMs ?? 15 * 60_000,
    // A slot frees when some request in flight ends, which nothing predicts: ask for a short wait.
    concurrencyRetryAfterMs: opts.concurrencyRetryAfterMs ?? 1000,
  };
}
