import { expect } from 'vitest';
import { monthOf, parseScopeId, scopesForPeriod, type BudgetPeriod, type LimitScope } from '../../../../src/limits/index.js';
import { refusal, setup, type CaseContext } from './harness.js';

/**
 * Budget periods: a monthly budget is its own `…@yyyy-mm` scope (limits/budget-period.ts), so the
 * limiter needs no reset logic. These cases move the injected clock across a month boundary and
 * rebuild the scopes as the call guard does.
 */
export function periodCases({ harness, test }: CaseContext): void {
  test('monthly budget: spent at the end of a month is refused until the next, which starts fresh; a lifetime budget is not reset', async () => {
    // Metering's ledger: settled spend per period-less scope id, by time.
    const ledger: { base: string; ts: number; cost: number }[] = [];
    const loadSpent = async (scopeId: string) => {
      const { kind, id, since = -Infinity, until = Infinity } = parseScopeId(scopeId);
      return ledger.filter((e) => e.base === `${kind}:${id}` && e.ts >= since && e.ts < until).reduce((sum, e) => sum + e.cost, 0);
    };
    const { clock, limiter } = setup(harness, { loadSpent });
    clock.advance(Date.UTC(2026, 10, 30, 23, 59, 0) - clock.now());
    for (const base of ['key:k1', 'org:o1']) ledger.push({ base, ts: Date.UTC(2026, 9, 20), cost: 0.9 }); // October's
    const scopesAt = (now: number): LimitScope[] => {
      const scoped = (scope: LimitScope, period: BudgetPeriod) => scopesForPeriod(scope, period, monthOf(now));
      return [...scoped({ id: 'key:k1', rpm: 100, budget: 1 }, 'monthly'), ...scoped({ id: 'org:o1', budget: 2.5 }, 'total')];
    };
    const spend = async (cost: number) => {
      const admission = await limiter.admit({ scopes: scopesAt(clock.now()), estimatedTokens: 1, estimatedCost: cost });
      await admission.settle({ tokens: 1, cost });
      for (const base of ['key:k1', 'org:o1']) ledger.push({ base, ts: clock.now(), cost });
    };

    // November: October's 0.9 counts for the org's lifetime budget only.
    await spend(1);
    expect(await limiter.spent('key:k1@2026-11')).toBe(1);
    const spent = await refusal(limiter.admit({ scopes: scopesAt(clock.now()), estimatedTokens: 1, estimatedCost: 0 }));
    expect(spent).toMatchObject({ status: 429, code: 'budget_exceeded', type: 'insufficient_quota', retryable: false, retryAfter: 60 });
    expect(spent.message).toContain('key:k1@2026-11');
    expect(spent.message).toContain('resets at 2026-12-01T00:00:00.000Z');

    // One minute later it is December: the same key has its whole budget again.
    clock.advance(60_000);
    expect(scopesAt(clock.now()).map((s) => s.id)).toEqual(['key:k1', 'key:k1@2026-12', 'org:o1']);
    await spend(0.5);
    expect(await limiter.spent('key:k1@2026-12')).toBe(0.5);
    expect(await limiter.spent('org:o1')).toBe(2.4);

    // The org's lifetime budget (2.5) still holds October's and November's spend: 2.4 + 0.45 > 2.5.
    const lifetime = await refusal(limiter.admit({ scopes: scopesAt(clock.now()), estimatedTokens: 1, estimatedCost: 0.45 }));
    expect(lifetime).toMatchObject({ code: 'budget_exceeded', retryAfter: undefined });
    expect(lifetime.message).toContain('org:o1');
    expect(lifetime.message).not.toContain('resets');
  });

  test('rate limits stay on the period-less scope: the month turning neither resets nor splits them', async () => {
    const { clock, limiter } = setup(harness, { loadSpent: async () => 0 });
    clock.advance(Date.UTC(2026, 11, 31, 23, 59, 59, 990) - clock.now());
    const scopesNow = () => scopesForPeriod({ id: 'key:k1', rpm: 2, budget: 10 }, 'monthly', monthOf(clock.now()));
    await limiter.admit({ scopes: scopesNow(), estimatedTokens: 0, estimatedCost: 0.1 });
    await limiter.admit({ scopes: scopesNow(), estimatedTokens: 0, estimatedCost: 0.1 });
    clock.advance(20); // 2027-01-01T00:00:00.010Z: a new year's month, the same RPM bucket
    expect(scopesNow().map((s) => s.id)).toEqual(['key:k1', 'key:k1@2027-01']);
    const err = await refusal(limiter.admit({ scopes: scopesNow(), estimatedTokens: 0, estimatedCost: 0.1 }));
    expect(err).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
    expect(await limiter.inspect('key:k1@2026-12')).toMatchObject({ spent: 0, reserved: 0.2, inFlight: 2 });
  });
}
