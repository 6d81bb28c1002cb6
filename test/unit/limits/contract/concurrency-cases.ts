import { expect } from 'vitest';
import { refusal, setup, type CaseContext } from './harness.js';

const nothing = { estimatedTokens: 0, estimatedCost: 0 };

/** In-flight limits, leases, and the exactly-once end of an admission. */
export function concurrencyCases({ harness, test }: CaseContext): void {
  test('concurrency: refuses past the limit with a short retry-after, frees on settle or release', async () => {
    const { limiter } = setup(harness, { concurrencyRetryAfterMs: 500 });
    const scopes = [{ id: 'key:k1', maxConcurrency: 2 }];
    const a = await limiter.admit({ scopes, ...nothing });
    const b = await limiter.admit({ scopes, ...nothing });
    const err = await refusal(limiter.admit({ scopes, ...nothing }));
    expect(err).toMatchObject({ status: 429, code: 'concurrency_limit_exceeded', retryable: true, retryAfter: 0.5 });
    await a.settle({ tokens: 0, cost: 0 });
    const c = await limiter.admit({ scopes, ...nothing });
    await b.release();
    await c.release();
    expect((await limiter.inspect('key:k1')).inFlight).toBe(0);
  });

  test('settle and release take effect once: a second call frees no other request’s slot', async () => {
    const { limiter } = setup(harness);
    const scopes = [{ id: 'key:k1', maxConcurrency: 2, tpm: 1000, budget: 10 }];
    await limiter.seedSpent('key:k1', 0);
    const a = await limiter.admit({ scopes, estimatedTokens: 100, estimatedCost: 1 });
    await limiter.admit({ scopes, estimatedTokens: 100, estimatedCost: 1 });
    await Promise.all([a.settle({ tokens: 50, cost: 0.5 }), a.settle({ tokens: 50, cost: 0.5 })]);
    expect(await a.settle({ tokens: 50, cost: 0.5 })).toEqual({ alerts: [] });
    await a.release();
    expect(await limiter.inspect('key:k1')).toEqual({ spent: 0.5, reserved: 1, inFlight: 1 });
    await limiter.admit({ scopes, estimatedTokens: 100, estimatedCost: 1 });
    await refusal(limiter.admit({ scopes, ...nothing }));
  });

  test('settle after release is a no-op', async () => {
    const { limiter } = setup(harness);
    await limiter.seedSpent('key:k1', 0);
    const a = await limiter.admit({ scopes: [{ id: 'key:k1', budget: 10 }], estimatedTokens: 0, estimatedCost: 1 });
    await a.release();
    await a.settle({ tokens: 10, cost: 3 });
    expect(await limiter.inspect('key:k1')).toEqual({ spent: 0, reserved: 0, inFlight: 0 });
  });

  test('an admission never ended gives its slot and reservation back when its lease expires', async () => {
    const { clock, limiter } = setup(harness, { leaseMs: 10_000 });
    await limiter.seedSpent('key:k1', 0);
    const scopes = [{ id: 'key:k1', maxConcurrency: 1, budget: 1 }];
    const lost = await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 1 });
    clock.advance(9_999);
    expect((await refusal(limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.5 }))).code).toBe('budget_exceeded');
    clock.advance(1);
    expect(await limiter.inspect('key:k1')).toEqual({ spent: 0, reserved: 0, inFlight: 0 });
    const next = await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 1 });
    // The late settle still records the spend, and frees nothing that belongs to `next`.
    await lost.settle({ tokens: 0, cost: 0.25 });
    expect(await limiter.inspect('key:k1')).toEqual({ spent: 0.25, reserved: 1, inFlight: 1 });
    await next.settle({ tokens: 0, cost: 0.5 });
    expect(await limiter.spent('key:k1')).toBe(0.75);
  });
}
