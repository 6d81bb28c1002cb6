import { describe, expect, it } from 'vitest';
import { toScopeSpec } from '../../../src/limits/scope-spec.js';
import { REFUSED, refusalError, toVerdict, type ScopeReading } from '../../../src/limits/verdict.js';

const reading = (over: Partial<ScopeReading> = {}): ScopeReading => ({
  refused: 0,
  requestsDebt: 0,
  tokensDebt: 0,
  spentMicro: 0,
  reservedMicro: 0,
  inFlight: 0,
  ...over,
});
const est = { tokens: 100, costMicro: 1_000 };

describe('refusalError precedence', () => {
  const key = toScopeSpec({ id: 'key:k', rpm: 1, tpm: 50, maxConcurrency: 1, budget: 1 });
  const org = toScopeSpec({ id: 'org:o', rpm: 10 });

  it('admits when no scope refused', () => {
    expect(refusalError([toVerdict(key, reading())], est, 1000, 0)).toBeUndefined();
  });

  it('an exhausted budget wins over every rate refusal: waiting would not help', () => {
    const err = refusalError(
      [
        toVerdict(key, reading({ refused: REFUSED.requests | REFUSED.concurrency })),
        toVerdict(key, reading({ refused: REFUSED.budget, spentMicro: 1_000_000 })),
      ],
      est,
      1000,
      0,
    );
    expect(err).toMatchObject({ code: 'budget_exceeded', retryable: false, retryAfter: undefined });
  });

  it('a period budget says when it resets, and retry-after counts down to it; still not retryable', () => {
    const monthly = toScopeSpec({ id: 'key:k@2026-11', budget: 1, budgetResetsAt: Date.UTC(2026, 11, 1) });
    const now = Date.UTC(2026, 10, 30, 22, 0, 0);
    const err = refusalError([toVerdict(monthly, reading({ refused: REFUSED.budget, spentMicro: 1_000_000 }))], est, 1000, now)!;
    expect(err).toMatchObject({ code: 'budget_exceeded', type: 'insufficient_quota', retryable: false, retryAfter: 7200 });
    expect(err.message).toMatch(/^Budget exceeded for key:k@2026-11: .* The budget resets at 2026-12-01T00:00:00.000Z\.$/);
  });

  it('a too-large estimate wins over waits', () => {
    const err = refusalError([toVerdict(key, reading({ refused: REFUSED.tooLarge | REFUSED.requests, requestsDebt: 60_000 }))], est, 1000, 0);
    expect(err).toMatchObject({ code: 'rate_limit_exceeded', type: 'tokens', retryable: false });
  });

  it('rate and concurrency together: rate code, the longer of the two waits', () => {
    const err = refusalError(
      [toVerdict(key, reading({ refused: REFUSED.concurrency })), toVerdict(org, reading({ refused: REFUSED.requests, requestsDebt: 540_010 }))],
      est,
      1000,
      0,
    );
    // org: 10 debt over capacity, refilled at 10 per ms → 1 ms, less than the 1 s concurrency wait.
    expect(err).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests', retryAfter: 1 });
  });

  it('refusals carry the x-ratelimit headers of the state that refused', () => {
    const err = refusalError([toVerdict(org, reading({ refused: REFUSED.requests, requestsDebt: 600_000 }))], est, 1000, 0)!;
    expect(err.headers).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1m0s',
    });
    expect(err.retryAfter).toBe(6);
  });
});
