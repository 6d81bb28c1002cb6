import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import type { Tenancy } from '../../../src/tenancy/index.js';
import { describeEachStore } from '../../support/backends.js';
import { fakeClock, openTenancy, rejection, type FakeClock } from '../../support/tenancy.js';

const rejectsWith = async (promise: Promise<unknown>, status: number, code: string) => {
  expect(await rejection(promise)).toMatchObject({ status, code });
};

describeEachStore('tenancy orgs', (backend) => {
  let store: Store;
  let tenancy: Tenancy;
  let clock: FakeClock;

  beforeEach(async () => {
    store = await backend.open();
    clock = fakeClock();
    tenancy = await openTenancy(store, { now: clock.now });
  });
  afterEach(async () => {
    await tenancy.close();
    await store.close();
  });

  it('creates an org with defaults and reads it back', async () => {
    const org = await tenancy.createOrg({ name: 'acme' });
    expect(org).toEqual({
      id: expect.stringMatching(/^org_/),
      name: 'acme',
      rpm: null,
      tpm: null,
      max_concurrency: null,
      budget: null,
      budget_period: 'total',
      budget_alert_thresholds: [0.5, 0.8, 0.9],
      log_bodies: false,
      disabled: false,
      alert_webhook_url: null,
      created_at: '2026-11-25T00:00:00.000Z',
      updated_at: '2026-11-25T00:00:00.000Z',
    });
    expect(await tenancy.getOrg(org.id)).toEqual(org);
  });

  it('stores limits, budget, thresholds and flags as given', async () => {
    const org = await tenancy.createOrg({ name: 'big', rpm: 600, tpm: 100_000, max_concurrency: 8, budget: 12.5, budget_alert_thresholds: [0.75], log_bodies: true, disabled: true, alert_webhook_url: 'https://hooks.example.com/baimo?token=t0k' });
    expect(await tenancy.getOrg(org.id)).toMatchObject({ rpm: 600, tpm: 100_000, max_concurrency: 8, budget: 12.5, budget_alert_thresholds: [0.75], log_bodies: true, disabled: true, alert_webhook_url: 'https://hooks.example.com/…' });
    // The full URL only for delivery.
    expect(await tenancy.alertWebhookUrl(org.id)).toBe('https://hooks.example.com/baimo?token=t0k');
  });

  it('refuses a duplicate name with 409 org_exists', async () => {
    await tenancy.createOrg({ name: 'acme' });
    await rejectsWith(tenancy.createOrg({ name: 'acme' }), 409, 'org_exists');
  });

  it('lists all orgs by name, or only the given ids', async () => {
    const b = await tenancy.createOrg({ name: 'beta' });
    const a = await tenancy.createOrg({ name: 'alpha' });
    expect((await tenancy.listOrgs()).map((o) => o.name)).toEqual(['alpha', 'beta']);
    expect((await tenancy.listOrgs([b.id])).map((o) => o.id)).toEqual([b.id]);
    expect(await tenancy.listOrgs([])).toEqual([]);
    expect(a.id).not.toBe(b.id);
  });

  it('budget_period: total by default, monthly when asked, patched on its own', async () => {
    const org = await tenancy.createOrg({ name: 'monthly', budget: 10, budget_period: 'monthly' });
    expect(org).toMatchObject({ budget: 10, budget_period: 'monthly' });
    expect(await tenancy.getOrg(org.id)).toMatchObject({ budget_period: 'monthly' });
    const back = await tenancy.updateOrg(org.id, { budget_period: 'total' });
    expect(back).toMatchObject({ budget: 10, budget_period: 'total' });
    expect(await tenancy.getOrg(org.id)).toEqual(back);
  });

  it('updates only the fields given; null clears a limit', async () => {
    const org = await tenancy.createOrg({ name: 'acme', rpm: 10, budget: 5 });
    clock.advance(1000);
    const updated = await tenancy.updateOrg(org.id, { rpm: null, tpm: 99, log_bodies: true });
    expect(updated).toMatchObject({ name: 'acme', rpm: null, tpm: 99, budget: 5, log_bodies: true, updated_at: '2026-11-25T00:00:01.000Z' });
    expect(await tenancy.getOrg(org.id)).toEqual(updated);
  });

  it('renaming onto an existing name is a 409; unknown org is a 404', async () => {
    await tenancy.createOrg({ name: 'one' });
    const two = await tenancy.createOrg({ name: 'two' });
    await rejectsWith(tenancy.updateOrg(two.id, { name: 'one' }), 409, 'org_exists');
    await rejectsWith(tenancy.updateOrg('org_missing', { rpm: 1 }), 404, 'org_not_found');
    await rejectsWith(tenancy.getOrg('org_missing'), 404, 'org_not_found');
  });

  it('deletes an org with its keys and memberships', async () => {
    const org = await tenancy.createOrg({ name: 'gone' });
    const key = await tenancy.createKey(org.id, { name: 'k' });
    const user = await tenancy.createUser({ email: 'a@example.com', name: 'A', password: 'password-1' });
    await tenancy.addMember(org.id, user.id, 'owner');
    await tenancy.authenticateKey(key.key);
    await tenancy.deleteOrg(org.id);
    await rejectsWith(tenancy.getOrg(org.id), 404, 'org_not_found');
    await rejectsWith(tenancy.getKey(key.id), 404, 'key_not_found');
    await rejectsWith(tenancy.authenticateKey(key.key), 401, 'invalid_api_key');
    expect(await tenancy.rolesOf(user.id)).toEqual([]);
    await rejectsWith(tenancy.deleteOrg(org.id), 404, 'org_not_found');
  });
});
