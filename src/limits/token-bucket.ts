/**
 * RPM and TPM are token buckets (the continuous form of GCRA): capacity = the per-minute limit,
 * refilled continuously at limit/60 s. A scope idle for a minute can burst its whole limit; the
 * sustained rate is exactly the limit. This is the model OpenAI documents for its own limits, it
 * needs O(1) state per scope (a sliding log needs one entry per request), and it takes token
 * reservations that are settled later: a settle simply adds (actual − estimate).
 *
 * State is `debt` = units used × WINDOW_MS, so every quantity is an integer: draining `limit`
 * units per minute removes exactly `limit` debt per millisecond. The Redis script
 * (redis-scripts.ts) mirrors these functions line for line; the contract suite keeps them equal.
 */

export const WINDOW_MS = 60_000;

export interface Bucket {
  debt: number;
  /** Epoch ms of the last update; never moves backwards (replica clocks may disagree). */
  ts: number;
}

export const emptyBucket = (): Bucket => ({ debt: 0, ts: 0 });

/** The debt left at `now` after refilling since the last update. */
export function drain(bucket: Bucket, limit: number, now: number): number {
  const elapsed = Math.max(0, now - bucket.ts);
  return Math.max(0, bucket.debt - limit * elapsed);
}

/** Milliseconds until `units` more fit (0 = they fit now). */
export function waitMs(debt: number, units: number, limit: number): number {
  const over = debt + units * WINDOW_MS - limit * WINDOW_MS;
  return over > 0 ? Math.ceil(over / limit) : 0;
}

/** Whole units that would fit now. */
export function remaining(debt: number, limit: number): number {
  return Math.max(0, Math.floor((limit * WINDOW_MS - debt) / WINDOW_MS));
}

/** Milliseconds until the bucket is full again (OpenAI's "reset": back to the initial state). */
export function resetMs(debt: number, limit: number): number {
  return Math.ceil(debt / limit);
}

/** Refill to `now`, then add `units` (negative to refund); debt never goes below empty. */
export function charge(bucket: Bucket, limit: number, now: number, units: number): Bucket {
  return { debt: Math.max(0, drain(bucket, limit, now) + units * WINDOW_MS), ts: Math.max(bucket.ts, now) };
}
