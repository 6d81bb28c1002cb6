import { describe, expectTypeOf, it } from 'vitest';
import type * as Console from '../../../console/src/api/types.js';
import type { RequestLogDetail, RequestLogPage, RequestLogSummary, SeriesGroup, SeriesPoint, UsageGroup, UsageReport, UsageRow } from '../../../src/metering/index.js';
import type { BudgetPeriod, CreateKeyInput, Role } from '../../../src/tenancy/index.js';

/**
 * The console restates the answer types it cannot import without compiling the server's Node
 * code (console/src/api/types.ts says which and why). These checks run in `tsc -p tsconfig.json`:
 * when a server answer changes, the console's copy must change with it. `.branded` compares the
 * resolved shapes: the server builds some of these from Omit<…> & {…}, which plain equality
 * would tell apart from the console's flat interfaces.
 */
describe('console wire types', () => {
  it('equal metering’s answer types', () => {
    expectTypeOf<Console.UsageGroup>().branded.toEqualTypeOf<UsageGroup>();
    expectTypeOf<Console.UsageRow>().branded.toEqualTypeOf<UsageRow>();
    expectTypeOf<Console.UsageReport>().branded.toEqualTypeOf<UsageReport>();
    expectTypeOf<Console.SeriesGroup>().branded.toEqualTypeOf<SeriesGroup>();
    expectTypeOf<Console.TimeseriesRow>().branded.toEqualTypeOf<SeriesPoint>();
    expectTypeOf<Console.RequestLog>().branded.toEqualTypeOf<RequestLogSummary>();
    expectTypeOf<Console.RequestLogDetail>().branded.toEqualTypeOf<RequestLogDetail>();
    expectTypeOf<Console.RequestLogPage>().branded.toEqualTypeOf<RequestLogPage>();
  });

  it('send only what tenancy accepts, and offer every role', () => {
    expectTypeOf<Console.KeyLimitsInput>().toExtend<CreateKeyInput>();
    expectTypeOf<(typeof Console.ROLES)[number]>().branded.toEqualTypeOf<Role>();
    expectTypeOf<(typeof Console.BUDGET_PERIODS)[number]>().branded.toEqualTypeOf<BudgetPeriod>();
  });
});
