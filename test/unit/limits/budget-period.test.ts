import { describe, expect, it } from 'vitest';
import { monthOf, parseScopeId, periodWindow, scopesForPeriod } from '../../../src/limits/index.js';

describe('budget periods', () => {
  it('a month is UTC: [1st 00:00, next 1st), across a year end', () => {
    expect(monthOf(Date.UTC(2026, 10, 30, 23, 59, 59, 999))).toEqual({ label: '2026-11', from: Date.UTC(2026, 10, 1), until: Date.UTC(2026, 11, 1) });
    expect(monthOf(Date.UTC(2026, 11, 1))).toMatchObject({ label: '2026-12', from: Date.UTC(2026, 11, 1) });
    expect(monthOf(Date.UTC(2026, 11, 31, 12))).toMatchObject({ label: '2026-12', until: Date.UTC(2027, 0, 1) });
    // Months follow UTC, not the caller's local time.
    expect(monthOf(Date.parse('2027-01-01T07:30:00+08:00')).label).toBe('2026-12');
    expect(periodWindow('total', 0)).toEqual({ label: '', from: -Infinity, until: Infinity });
    expect(periodWindow(undefined, 0).until).toBe(Infinity);
  });

  it('a monthly budget moves to its own scope; rates stay on the period-less id', () => {
    const month = monthOf(Date.UTC(2026, 10, 5));
    const scope = { id: 'org:o1', rpm: 5, tpm: 100, maxConcurrency: 2, budget: 9, budgetAlertThresholds: [0.5] };
    expect(scopesForPeriod(scope, 'monthly', month)).toEqual([
      { id: 'org:o1', rpm: 5, tpm: 100, maxConcurrency: 2 },
      { id: 'org:o1@2026-11', budget: 9, budgetAlertThresholds: [0.5], budgetResetsAt: Date.UTC(2026, 11, 1) },
    ]);
    // Nothing but a budget: no empty rate scope to keep state for.
    expect(scopesForPeriod({ id: 'key:k1', budget: 1 }, 'monthly', month)).toEqual([{ id: 'key:k1@2026-11', budget: 1, budgetResetsAt: Date.UTC(2026, 11, 1) }]);
    // No budget, or a lifetime one: the scope as given.
    expect(scopesForPeriod({ id: 'key:k1', rpm: 1 }, 'monthly', month)).toEqual([{ id: 'key:k1', rpm: 1 }]);
    expect(scopesForPeriod(scope, 'total', periodWindow('total', 0))).toEqual([scope]);
  });

  it('parses what it builds', () => {
    const [, monthly] = scopesForPeriod({ id: 'key:key_Ab3', rpm: 1, budget: 1 }, 'monthly', monthOf(Date.UTC(2026, 11, 9)));
    expect(parseScopeId(monthly!.id)).toEqual({ kind: 'key', id: 'key_Ab3', since: Date.UTC(2026, 11, 1), until: Date.UTC(2027, 0, 1) });
    expect(parseScopeId('org:org_9')).toEqual({ kind: 'org', id: 'org_9' });
  });
});
