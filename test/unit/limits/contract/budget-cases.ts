import { expect } from 'vitest';
import { many, pause, refusal, setup, type CaseContext } from './harness.js';

/** Budgets: the hard stop, seeding from durable spend, soft alerts, and the race under load. */
export function budgetCases({ harness, test }: CaseContext): void {
  test('budget: spent + reserved + estimate may reach the budget, never pass it', async () => {
    const { limiter } = setup(harness, { loadSpent: async () => 0 });
    const scopes = [{ id: 'key:k1', budget: 1 }];
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.3 }));
    const err = await refusal(limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.3 }));
    expect(err).toMatchObject({ status: 429, code: 'budget_exceeded', type: 'insufficient_quota', retryable: false, retryAfter: undefined });
    expect(err.message).toContain('key:k1');
    await held[0]!.settle({ tokens: 0, cost: 0.1 });
    held.push(await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.3 }));
    for (const a of held.slice(1)) await a.settle({ tokens: 0, cost: 0.3 });
    expect(await limiter.spent('key:k1')).toBe(1);
    // Spent to the cent: nothing more runs, not even a request estimated as free.
    expect((await refusal(limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0 }))).code).toBe('budget_exceeded');
  });

  test('unknown spend is loaded once and seeded; seedSpent never overwrites', async () => {
    const loads: string[] = [];
    const { limiter } = setup(harness, { loadSpent: async (id) => (loads.push(id), id === 'org:o1' ? 4.5 : 0.25) });
    await limiter.seedSpent('key:k1', 0.5);
    await limiter.seedSpent('key:k1', 99);
    const scopes = [{ id: 'key:k1', budget: 10 }, { id: 'org:o1', budget: 5 }];
    await (await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.5 })).settle({ tokens: 0, cost: 0.5 });
    expect(loads).toEqual(['org:o1']);
    expect(await limiter.spent('key:k1')).toBe(1);
    expect(await limiter.spent('org:o1')).toBe(5);
    expect((await refusal(limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.01 }))).code).toBe('budget_exceeded');
    await limiter.admit({ scopes: [{ id: 'key:nobudget' }], estimatedTokens: 0, estimatedCost: 1 });
    expect(loads).toEqual(['org:o1']);
    expect(await limiter.spent('key:nobudget')).toBe(0);
  });

  test('unknown spend without loadSpent fails loudly instead of assuming zero', async () => {
    const { limiter } = setup(harness);
    const err = await refusal(limiter.admit({ scopes: [{ id: 'key:k1', budget: 10 }], estimatedTokens: 0, estimatedCost: 1 }));
    expect(err).toMatchObject({ status: 500, kind: 'internal' });
    expect(err.message).toContain('seedSpent');
  });

  test('alert thresholds are reported once each, and again only for a changed budget', async () => {
    const { limiter } = setup(harness, { loadSpent: async () => 0 });
    let scope = { id: 'key:k1', budget: 1, budgetAlertThresholds: [0.8, 0.5] };
    const spend = async (cost: number) => {
      const admission = await limiter.admit({ scopes: [scope], estimatedTokens: 0, estimatedCost: cost });
      return admission.settle({ tokens: 0, cost });
    };
    expect((await spend(0.4)).alerts).toEqual([]);
    expect((await spend(0.2)).alerts).toEqual([{ scopeId: 'key:k1', threshold: 0.5, spent: 0.6, budget: 1 }]);
    expect((await spend(0.1)).alerts).toEqual([]);
    expect((await spend(0.15)).alerts).toEqual([{ scopeId: 'key:k1', threshold: 0.8, spent: 0.85, budget: 1 }]);
    expect((await spend(0.1)).alerts).toEqual([]);
    scope = { ...scope, budget: 2 };
    expect((await spend(0.1)).alerts).toEqual([{ scopeId: 'key:k1', threshold: 0.5, spent: 1.05, budget: 2 }]);
    scope = { id: 'key:k2', budget: 1, budgetAlertThresholds: [0.5, 0.8, 1] };
    expect((await spend(1)).alerts.map((a) => a.threshold)).toEqual([0.5, 0.8, 1]);
  });

  test('200 concurrent requests against a tight budget: never over-reserved, spend exact', async () => {
    const { limiter } = setup(harness, { loadSpent: async () => 0 });
    const scopes = [{ id: 'key:k1', budget: 1 }, { id: 'org:o1', budget: 1.5 }];
    const estimate = 0.013;
    let admitted = 0;
    let settled = 0;
    const results = await many(200, async (i) => {
      await pause(i);
      const admission = await limiter.admit({ scopes, estimatedTokens: 10, estimatedCost: estimate }).catch((err) => err);
      if (!('settle' in admission)) return admission.code as string;
      admitted += 1;
      const held = await limiter.inspect('key:k1');
      expect(held.spent! + held.reserved).toBeLessThanOrEqual(1 + 1e-9);
      await pause(i + 1);
      const cost = i % 2 ? estimate : 0.007;
      await admission.settle({ tokens: 5, cost });
      settled += Math.round(cost * 1e6);
      return 'ok';
    });
    expect(results.filter((r) => r !== 'ok' && r !== 'budget_exceeded')).toEqual([]);
    expect(admitted).toBeGreaterThanOrEqual(Math.floor(1 / estimate));
    const spent = await limiter.spent('key:k1');
    expect(Math.round(spent * 1e6)).toBe(settled);
    expect(await limiter.spent('org:o1')).toBe(spent);
    expect(spent).toBeLessThanOrEqual(1);
    expect(await limiter.inspect('key:k1')).toMatchObject({ reserved: 0, inFlight: 0 });
  });

  test('money is counted in exact micro-units: no float drift over many settles', async () => {
    const { limiter } = setup(harness, { loadSpent: async () => 0 });
    const scopes = [{ id: 'key:k1', budget: 100 }];
    await many(100, async () => (await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.1 })).settle({ tokens: 0, cost: 0.1 }));
    expect(await limiter.spent('key:k1')).toBe(10);
  });
}
