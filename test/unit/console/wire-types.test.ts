import { describe, expectTypeOf, it } from 'vitest';
import type * as Console from '../../../console/src/api/types.js';
import type { BudgetPeriod, CreateKeyInput, Role } from '../../../src/tenancy/index.js';

/**
 * What the console sends, restated where the server's input types live in files it cannot import
 * (console/src/api/types.ts says which and why; answers are imported from the server's own type
 * files). These checks run in `tsc -p tsconfig.json`: when the server's input changes, the
 * console's copy must change with it.
 */
describe('console wire types', () => {
  it('send only what tenancy accepts, and offer every role', () => {
    expectTypeOf<Console.KeyLimitsInput>().toExtend<CreateKeyInput>();
    expectTypeOf<(typeof Console.ROLES)[number]>().branded.toEqualTypeOf<Role>();
    expectTypeOf<(typeof Console.BUDGET_PERIODS)[number]>().branded.toEqualTypeOf<BudgetPeriod>();
  });
});
