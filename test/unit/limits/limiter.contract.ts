import { budgetCases } from './contract/budget-cases.js';
import { concurrencyCases } from './contract/concurrency-cases.js';
import { periodCases } from './contract/period-cases.js';
import { caseContext, type LimiterHarness, type SkipList } from './contract/harness.js';
import { rateCases } from './contract/rate-cases.js';
import { replicaCases } from './contract/replica-cases.js';

export type { LimiterHarness, LimiterSpace, CaseLimiterOptions, SkipList } from './contract/harness.js';

/**
 * The behaviour every limiter backend must show. Each backend's test file calls this with a
 * harness; a case may be skipped only with a reason (shown in the test name).
 */
export function limiterContract(harness: LimiterHarness, skip: SkipList = {}): void {
  const ctx = caseContext(harness, skip);
  rateCases(ctx);
  concurrencyCases(ctx);
  budgetCases(ctx);
  periodCases(ctx);
  replicaCases(ctx);
}
