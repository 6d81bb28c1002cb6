import { describe, expect, it } from 'vitest';
import { createMemoryLimiter, monthOf, scopesForPeriod, type Limiter } from '../../../src/limits/index.js';
import { fakeClock } from '../../support/fixtures.js';
import { limiterContract } from './limiter.contract.js';

describe('memory limiter', () => {
  limiterContract(
    { name: 'memory', space: () => ({ limiter: (opts) => createMemoryLimiter(opts) }) },
    { 'two replicas stay exact under concurrent load': 'embedded mode is one process; its state is not shared' },
  );
});

/** The limiter as the gateway drives it: `admitNow` first, `admit` only when it cannot decide. */
function viaAdmitNow(limiter: Limiter): Limiter {
  return { ...limiter, admit: async (req) => limiter.admitNow!(req) ?? limiter.admit(req) };
}

describe('memory limiter, admitted synchronously (admitNow)', () => {
  limiterContract(
    { name: 'memory via admitNow', space: () => ({ limiter: (opts) => viaAdmitNow(createMemoryLimiter(opts)) }) },
    { 'two replicas stay exact under concurrent load': 'embedded mode is one process; its state is not shared' },
  );

  it('decides at once when every spend is known, and leaves unknown spend to admit', async () => {
    const limiter = createMemoryLimiter({ now: () => 0, loadSpent: async () => 0.5 });
    const scopes = [{ id: 'key:k1', rpm: 1, budget: 1 }];
    expect(limiter.admitNow!({ scopes, estimatedTokens: 0, estimatedCost: 0.1 })).toBeUndefined();
    expect(await limiter.inspect('key:k1')).toMatchObject({ inFlight: 0 }); // nothing was committed
    await (await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.1 })).release();
    const other = [{ id: 'key:k2', rpm: 1 }];
    const admitted = limiter.admitNow!({ scopes: other, estimatedTokens: 0, estimatedCost: 0 });
    expect(admitted).toBeDefined();
    expect(admitted).not.toBeInstanceOf(Promise);
    expect(admitted!.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(() => limiter.admitNow!({ scopes: other, estimatedTokens: 0, estimatedCost: 0 })).toThrow(expect.objectContaining({ code: 'rate_limit_exceeded' }));
  });
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
