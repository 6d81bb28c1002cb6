import { describe, expect, it } from 'vitest';
import { createMemoryLimiter, monthOf, scopesForPeriod } from '../../../src/limits/index.js';
import { fakeClock } from '../../support/fixtures.js';
import { limiterContract } from './limiter.contract.js';

describe('memory limiter', () => {
  limiterContract(
    { name: 'memory', space: () => ({ limiter: (opts) => createMemoryLimiter(opts) }) },
    { 'two replicas stay exact under concurrent load': 'embedded mode is one process; its state is not shared' },
  );
});

describe('memory limiter: period scopes', () => {
  it('drops a month\'s scope once the month has ended and its last lease has expired', async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 30, 23, 0));
    const limiter = createMemoryLimiter({ now: clock.now, loadSpent: async () => 0, leaseMs: 600_000 });
    const scopesNow = () => scopesForPeriod({ id: 'key:k1', rpm: 100, budget: 5 }, 'monthly', monthOf(clock.now()));
    await (await limiter.admit({ scopes: scopesNow(), estimatedTokens: 0, estimatedCost: 1 })).settle({ tokens: 0, cost: 1 });
    const held = await limiter.admit({ scopes: scopesNow(), estimatedTokens: 0, estimatedCost: 1 });
    clock.advance(3_600_000); // December, but less than a lease after November ended: its scope stays
    await limiter.admit({ scopes: scopesNow(), estimatedTokens: 0, estimatedCost: 0 });
    expect(await limiter.inspect('key:k1@2026-11')).toMatchObject({ spent: 1 });
    await held.settle({ tokens: 0, cost: 1 });
    clock.advance(600_000);
    await limiter.admit({ scopes: scopesNow(), estimatedTokens: 0, estimatedCost: 0 });
    expect(await limiter.inspect('key:k1@2026-11')).toEqual({ spent: undefined, reserved: 0, inFlight: 0 });
    expect(await limiter.inspect('key:k1@2026-12')).toMatchObject({ spent: 0, inFlight: 1 });
    expect(await limiter.inspect('key:k1')).toMatchObject({ inFlight: 1 });
  });
});
