/**
 * Sliding one-minute counter (two fixed buckets, the previous weighted by overlap): O(1) memory,
 * close enough for per-deployment RPM/TPM caps, which protect upstream quotas rather than bill.
 */
export class RateWindow {
  private bucketStart = 0;
  private current = 0;
  private previous = 0;

  constructor(private readonly windowMs = 60_000) {}

  private roll(now: number): void {
    const start = now - (now % this.windowMs);
    if (start === this.bucketStart) return;
    this.previous = start - this.bucketStart === this.windowMs ? this.current : 0;
    this.current = 0;
    this.bucketStart = start;
  }

  /** Estimated count over the last window. */
  count(now: number): number {
    this.roll(now);
    const overlap = 1 - (now - this.bucketStart) / this.windowMs;
    return this.current + this.previous * overlap;
  }

  add(now: number, amount: number): void {
    this.roll(now);
    this.current += amount;
  }
}
