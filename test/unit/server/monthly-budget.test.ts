import type { FastifyRequest } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ModelConfig } from '../../../src/config/types.js';
import { createMemoryLimiter, type Limiter } from '../../../src/limits/index.js';
import { createUsageQueries, createUsageWriter, type UsageWriter } from '../../../src/metering/index.js';
import { BaimoError } from '../../../src/protocol/errors.js';
import { guardCall, guardOrgCall, type CallGuardDeps } from '../../../src/server/call-guard.js';
import { createLoadSpent, keyScopes } from '../../../src/server/limit-scopes.js';
import type { Store } from '../../../src/store/index.js';
import type { KeyPrincipal, Org } from '../../../src/tenancy/index.js';
import { describeEachStore } from '../../support/backends.js';
import { fakeClock } from '../../support/fixtures.js';
import { event, openMigrated, tempDir } from '../metering/make-event.js';

/** $1 per 1M tokens: an estimate of N input tokens costs N / 1e6. */
const MODEL: ModelConfig = { name: 'm', capabilities: ['chat'], price: { input: 1, output: 1 }, owned_by: 'baimo', deployments: [] };
const tokensFor = (cost: number) => ({ inputTokens: Math.round(cost * 1e6), maxOutputTokens: 0 });

const principal = (keyId: string, limits: KeyPrincipal['limits'], orgLimits: KeyPrincipal['orgLimits']): KeyPrincipal =>
  Object.freeze({
    kind: 'key' as const,
    keyId,
    keyName: keyId,
    orgId: 'org_a',
    orgName: 'a',
    models: null,
    limits: Object.freeze(limits),
    orgLimits: Object.freeze({ ...orgLimits, budgetAlertThresholds: Object.freeze([...orgLimits.budgetAlertThresholds]) as number[] }),
    logBodies: false,
  });

async function refusal(promise: Promise<unknown>): Promise<BaimoError> {
  const err = await promise.then(
    () => expect.fail('expected a refusal'),
    (e: unknown) => e,
  );
  if (!BaimoError.is(err)) throw err;
  return err;
}

describeEachStore('monthly budgets through the call guard and metering', (backend) => {
  let store: Store;
  let writer: UsageWriter;
  let limiter: Limiter;
  let deps: CallGuardDeps;
  const clock = fakeClock();
  const orgs = new Map<string, Org>();

  /** A settled call's usage event, as the gateway's observer would record it. */
  const spend = (tenant: { orgId: string; keyId?: string }, startedAt: number, cost: number) =>
    writer.record({ ...event({ requestId: `r${startedAt}`, tenant: tenant as { orgId: string; keyId: string }, startedAt }), cost });

  beforeEach(async () => {
    store = await openMigrated(backend);
    writer = createUsageWriter({ store, journalDir: tempDir(), now: clock.now, flushIntervalMs: 0 });
    const queries = createUsageQueries({ store, currency: () => 'USD' });
    limiter = createMemoryLimiter({ now: clock.now, loadSpent: createLoadSpent({ queries, flush: () => writer.flush() }) });
    deps = { limiter, warn: () => {}, getOrg: async (id) => orgs.get(id)!, now: clock.now };
    clock.advance(Date.UTC(2026, 10, 30, 23, 0) - clock.now());
  });
  afterEach(async () => {
    await writer.close();
    await store.close();
  });

  // async: guardCall answers synchronously when the limiter can, and throws its refusal then.
  const call = async (p: KeyPrincipal, cost: number) =>
    guardCall(deps, { principal: p, id: 'req', headers: {} } as unknown as FastifyRequest, MODEL, tokensFor(cost));

  it('last month\'s spend does not count against this month\'s monthly budget, but does against a total budget', async () => {
    // key_m: 0.8 late in October, 0.3 in November; key_t: 0.8 in October.
    spend({ orgId: 'org_a', keyId: 'key_m' }, Date.UTC(2026, 9, 31, 23, 59), 0.8);
    spend({ orgId: 'org_a', keyId: 'key_m' }, Date.UTC(2026, 10, 2), 0.3);
    spend({ orgId: 'org_a', keyId: 'key_t' }, Date.UTC(2026, 9, 15), 0.8);
    await writer.flush();
    const org = { budget: 10, budgetAlertThresholds: [] };
    const monthly = principal('key_m', { budget: 1, budgetPeriod: 'monthly' }, org);
    const total = principal('key_t', { budget: 1 }, org);

    // key_m: November holds 0.3 of 1, so 0.6 fits; key_t: October's 0.8 counts, so 0.3 does not.
    const admitted = await call(monthly, 0.6);
    const lifetime = await refusal(call(total, 0.3));
    expect(lifetime).toMatchObject({ code: 'budget_exceeded', retryAfter: undefined });
    expect(lifetime.message).toContain('key:key_t:');
    expect((await call(total, 0.2)).headers).toBeDefined();

    await admitted.settle({ prompt_tokens: 600_000, completion_tokens: 0, total_tokens: 600_000 });
    const full = await refusal(call(monthly, 0.2));
    expect(full).toMatchObject({ code: 'budget_exceeded', retryable: false, retryAfter: 3600 });
    expect(full.message).toContain('key:key_m@2026-11');

    // December: the same principal object, a new month's scope, seeded from December's (empty) usage.
    clock.advance(3_600_000);
    await call(monthly, 0.9);
    expect(await limiter.inspect('key:key_m@2026-12')).toMatchObject({ spent: 0, reserved: 0.9 });
    expect(await limiter.inspect('key:key_m@2026-11')).toMatchObject({ spent: 0.9 });
    // A lifetime budget does not start again.
    expect((await refusal(call(total, 0.3))).message).toContain('key:key_t:');
  });

  it('an org\'s monthly budget applies to its console and background calls the same way', async () => {
    orgs.set('org_b', {
      id: 'org_b', name: 'b', rpm: null, tpm: null, max_concurrency: null, budget: 1, budget_period: 'monthly',
      budget_alert_thresholds: [], log_bodies: false, disabled: false, alert_webhook_url: null, created_at: '', updated_at: '',
    });
    spend({ orgId: 'org_b' }, Date.UTC(2026, 9, 20), 0.9);
    await writer.flush();
    const guard = await guardOrgCall(deps, 'org_b', MODEL, tokensFor(0.9), { requestId: 'bg' });
    await guard.settle({ prompt_tokens: 900_000, completion_tokens: 0, total_tokens: 900_000 });
    expect(await limiter.spent('org:org_b@2026-11')).toBe(0.9);
    expect((await refusal(guardOrgCall(deps, 'org_b', MODEL, tokensFor(0.2), { requestId: 'bg2' }))).message).toContain('org:org_b@2026-11');
  });

  it('a principal\'s scopes are built once per month: a hit returns the same frozen array', () => {
    const p = principal('key_c', { rpm: 5, budget: 1, budgetPeriod: 'monthly' }, { budget: 2, budgetAlertThresholds: [0.5] });
    const november = keyScopes(p, clock.now());
    expect(november.map((s) => s.id)).toEqual(['key:key_c', 'key:key_c@2026-11', 'org:org_a']);
    // The key's budget alerts at its org's thresholds; its rate scope carries none.
    expect(november.map((s) => s.budgetAlertThresholds)).toEqual([undefined, [0.5], [0.5]]);
    expect(keyScopes(p, clock.now() + 59 * 60_000)).toBe(november);
    expect(Object.isFrozen(november) && november.every(Object.isFrozen)).toBe(true);
    const december = keyScopes(p, Date.UTC(2026, 11, 1));
    expect(december.map((s) => s.id)).toEqual(['key:key_c', 'key:key_c@2026-12', 'org:org_a']);
    const lifetime = principal('key_l', { budget: 1 }, { budgetAlertThresholds: [] });
    expect(keyScopes(lifetime, 0)).toBe(keyScopes(lifetime, Date.UTC(2030, 0, 1)));
  });
});
