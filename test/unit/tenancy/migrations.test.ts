import { afterEach, expect, it } from 'vitest';
import { migrate, type Store } from '../../../src/store/index.js';
import { tenancyMigrations } from '../../../src/tenancy/index.js';
import { describeEachStore } from '../../support/backends.js';
import { openTenancy } from '../../support/tenancy.js';

describeEachStore('tenancy migrations', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('orgs and keys from before budget_period keep their lifetime budgets', async () => {
    store = await backend.open();
    const [first] = Object.keys(tenancyMigrations);
    await migrate(store.db, store.dialect, [{ [first!]: tenancyMigrations[first!]! }]);
    const at = Date.UTC(2026, 10, 1);
    await store.db
      .withTables<{ orgs: Record<string, unknown>; api_keys: Record<string, unknown> }>()
      .insertInto('orgs')
      .values({ id: 'org_old', name: 'old', budget: 5, budget_alert_thresholds: '[]', created_at: at, updated_at: at })
      .execute();
    await store.db
      .withTables<{ api_keys: Record<string, unknown> }>()
      .insertInto('api_keys')
      .values({ id: 'key_old', org_id: 'org_old', name: 'k', prefix: 'sk-bm-x', hash: 'h', budget: 1, created_at: at, updated_at: at })
      .execute();
    const tenancy = await openTenancy(store);
    try {
      expect(await tenancy.getOrg('org_old')).toMatchObject({ budget: 5, budget_period: 'total' });
      expect(await tenancy.getKey('key_old')).toMatchObject({ budget: 1, budget_period: 'total' });
    } finally {
      await tenancy.close();
    }
  });
});
