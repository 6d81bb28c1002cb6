import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import type { Tenancy } from '../../../src/tenancy/index.js';
import { describeEachStore } from '../../support/backends.js';
import { dumpTable, fakeClock, openTenancy, rejection, type FakeClock } from '../../support/tenancy.js';

/** Random bytes, except that a test may decide the next ones (to know a key before it exists). */
function primedRandom() {
  const queue: Buffer[] = [];
  return { random: (n: number) => queue.shift() ?? randomBytes(n), prime: (bytes: Buffer) => void queue.push(bytes) };
}

describeEachStore('tenancy keys', (backend) => {
  let store: Store;
  let tenancy: Tenancy;
  let clock: FakeClock;
  let rng: ReturnType<typeof primedRandom>;
  let orgId: string;

  beforeEach(async () => {
    store = await backend.open();
    clock = fakeClock();
    rng = primedRandom();
    tenancy = await openTenancy(store, { now: clock.now, random: rng.random, options: { touchIntervalMs: 3600_000 } });
    orgId = (await tenancy.createOrg({ name: 'acme', rpm: 100, budget: 50, budget_alert_thresholds: [0.8], log_bodies: true })).id;
  });
  afterEach(async () => {
    await tenancy.close();
    await store.close();
  });

  it('creates a key: sk-bm- plaintext returned once, 12-character prefix, settings echoed', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci', models: ['qwen3-8b', 'deepseek-chat'], rpm: 10, tpm: 1000, max_concurrency: 2, budget: 5, expires_at: '2027-01-01T00:00:00Z' });
    expect(created.key).toMatch(/^sk-bm-[A-Za-z0-9_-]{43}$/);
    expect(created).toEqual({
      id: expect.stringMatching(/^key_/),
      key: created.key,
      prefix: created.key.slice(0, 12),
      org_id: orgId,
      name: 'ci',
      models: ['qwen3-8b', 'deepseek-chat'],
      rpm: 10,
      tpm: 1000,
      max_concurrency: 2,
      budget: 5,
      budget_period: 'total',
      expires_at: '2027-01-01T00:00:00.000Z',
      revoked_at: null,
      created_at: '2026-11-25T00:00:00.000Z',
      updated_at: '2026-11-25T00:00:00.000Z',
      last_used_at: null,
    });
    const { key: _plaintext, ...view } = created;
    expect(await tenancy.getKey(created.id)).toEqual(view);
    expect(await tenancy.listKeys(orgId)).toEqual([view]);
  });

  it('never stores the plaintext: no api_keys column holds it or any long piece of it', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci' });
    const rotated = await tenancy.rotateKey(created.id);
    const rows = await dumpTable(store, 'api_keys');
    for (const plaintext of [created.key, rotated.key]) {
      const secret = plaintext.slice(6);
      expect(rows).not.toContain(secret);
      // The stored prefix shows 6 random characters; no longer run of the secret is anywhere.
      for (let i = 0; i + 12 <= secret.length; i += 4) expect(rows).not.toContain(secret.slice(i, i + 12));
    }
    expect(JSON.stringify(await tenancy.listKeys(orgId))).not.toContain(rotated.key);
    expect(Object.keys((await tenancy.listKeys(orgId))[0]!)).not.toContain('hash');
  });

  it('authenticates a key into a KeyPrincipal with key and org limits', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci', models: ['qwen3-8b'], tpm: 1000 });
    const principal = await tenancy.authenticateKey(created.key);
    expect(principal).toEqual({
      kind: 'key',
      keyId: created.id,
      keyName: 'ci',
      orgId,
      orgName: 'acme',
      models: ['qwen3-8b'],
      limits: { tpm: 1000 },
      orgLimits: { rpm: 100, budget: 50, budgetAlertThresholds: [0.8] },
      logBodies: true,
    });
    expect(Object.isFrozen(principal) && Object.isFrozen(principal.limits)).toBe(true);
  });

  it('serves a cache hit without reading the database', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci' });
    await tenancy.authenticateKey(created.key);
    const before = tenancy.cacheStats();
    // Delete the row behind tenancy's back: a hit must not notice (it never asks the database).
    await store.db.withTables<{ api_keys: { id: string } }>().deleteFrom('api_keys').where('id', '=', created.id).execute();
    await Promise.all(Array.from({ length: 20 }, () => tenancy.authenticateKey(created.key)));
    expect(tenancy.cacheStats()).toMatchObject({ lookups: before.lookups, hits: before.hits + 20 });
  });

  it('shares one lookup between concurrent misses of the same key', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci' });
    await Promise.all(Array.from({ length: 10 }, () => tenancy.authenticateKey(created.key)));
    expect(tenancy.cacheStats().lookups).toBe(1);
  });

  it('refuses unknown and malformed keys with 401 invalid_api_key; malformed ones cost no lookup', async () => {
    expect(await rejection(tenancy.authenticateKey('not-a-key'))).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(await rejection(tenancy.authenticateKey(`sk-bm-${'x'.repeat(200)}`))).toMatchObject({ status: 401 });
    expect(tenancy.cacheStats().lookups).toBe(0);
    expect(await rejection(tenancy.authenticateKey(`sk-bm-${randomBytes(32).toString('base64url')}`))).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(tenancy.cacheStats().lookups).toBe(1);
  });

  it('remembers an unknown key for at most a second, then asks again', async () => {
    const guess = `sk-bm-${randomBytes(32).toString('base64url')}`;
    for (let i = 0; i < 50; i++) await rejection(tenancy.authenticateKey(guess));
    expect(tenancy.cacheStats().lookups).toBe(1);
    clock.advance(1000);
    await rejection(tenancy.authenticateKey(guess));
    expect(tenancy.cacheStats().lookups).toBe(2);
  });

  it('does not delay a new key that was presented (and refused) just before it existed', async () => {
    const bytes = randomBytes(32);
    const plaintext = `sk-bm-${bytes.toString('base64url')}`;
    expect(await rejection(tenancy.authenticateKey(plaintext))).toMatchObject({ status: 401 });
    rng.prime(bytes);
    const created = await tenancy.createKey(orgId, { name: 'late' });
    expect(created.key).toBe(plaintext);
    expect((await tenancy.authenticateKey(plaintext)).keyId).toBe(created.id);
  });

  it('revokes: the key stops working at once, stays listed with revoked_at, and revoking again is a no-op', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci' });
    await tenancy.authenticateKey(created.key);
    clock.advance(5000);
    const revoked = await tenancy.revokeKey(created.id);
    expect(revoked.revoked_at).toBe('2026-11-25T00:00:05.000Z');
    expect(await rejection(tenancy.authenticateKey(created.key))).toMatchObject({ status: 401, message: 'This API key has been revoked.' });
    clock.advance(5000);
    expect((await tenancy.revokeKey(created.id)).revoked_at).toBe('2026-11-25T00:00:05.000Z');
    expect((await tenancy.listKeys(orgId))[0]!.revoked_at).toBe('2026-11-25T00:00:05.000Z');
    expect(await rejection(tenancy.revokeKey('key_missing'))).toMatchObject({ status: 404, code: 'key_not_found' });
  });

  it('rotates: same id and settings, new plaintext and prefix, the old plaintext refused', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci', rpm: 7, models: ['m'] });
    await tenancy.authenticateKey(created.key);
    const rotated = await tenancy.rotateKey(created.id);
    expect(rotated).toMatchObject({ id: created.id, name: 'ci', rpm: 7, models: ['m'], org_id: orgId });
    expect(rotated.key).not.toBe(created.key);
    expect(rotated.prefix).toBe(rotated.key.slice(0, 12));
    expect(await rejection(tenancy.authenticateKey(created.key))).toMatchObject({ status: 401 });
    expect((await tenancy.authenticateKey(rotated.key)).keyId).toBe(created.id);
    await tenancy.revokeKey(created.id);
    expect(await rejection(tenancy.rotateKey(created.id))).toMatchObject({ status: 409, code: 'key_revoked' });
    expect(await rejection(tenancy.rotateKey('key_missing'))).toMatchObject({ status: 404, code: 'key_not_found' });
  });

  it('expires keys by the injected clock, even when cached', async () => {
    const created = await tenancy.createKey(orgId, { name: 'short', expires_at: '2026-11-25T00:01:00Z' });
    await tenancy.authenticateKey(created.key);
    clock.advance(59_999);
    await tenancy.authenticateKey(created.key);
    clock.advance(1);
    expect(await rejection(tenancy.authenticateKey(created.key))).toMatchObject({ status: 401, message: 'This API key has expired.' });
    expect(await rejection(tenancy.createKey(orgId, { name: 'past', expires_at: '2026-11-24T00:00:00Z' }))).toMatchObject({ status: 400, param: 'expires_at' });
  });

  it('refuses keys of a disabled org with 403 and admits them again once re-enabled', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci' });
    await tenancy.authenticateKey(created.key);
    await tenancy.updateOrg(orgId, { disabled: true });
    expect(await rejection(tenancy.authenticateKey(created.key))).toMatchObject({ status: 403, code: 'permission_denied' });
    await tenancy.updateOrg(orgId, { disabled: false, rpm: 5 });
    expect((await tenancy.authenticateKey(created.key)).orgLimits.rpm).toBe(5);
  });

  it('updates a key’s settings; the cached principal follows', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci', rpm: 1 });
    await tenancy.authenticateKey(created.key);
    const updated = await tenancy.updateKey(created.id, { name: 'renamed', rpm: null, models: ['a'], max_concurrency: 3 });
    expect(updated).toMatchObject({ name: 'renamed', rpm: null, models: ['a'], max_concurrency: 3 });
    expect(await tenancy.authenticateKey(created.key)).toMatchObject({ keyName: 'renamed', models: ['a'], limits: { maxConcurrency: 3 } });
    expect(await rejection(tenancy.updateKey('key_missing', { name: 'x' }))).toMatchObject({ status: 404 });
  });

  it('a budget_period change of the key or its org reaches the cached principal', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci', budget: 2 });
    expect(created.budget_period).toBe('total');
    expect((await tenancy.authenticateKey(created.key)).limits).toEqual({ budget: 2 });
    expect(await tenancy.updateKey(created.id, { budget_period: 'monthly' })).toMatchObject({ budget: 2, budget_period: 'monthly' });
    expect((await tenancy.authenticateKey(created.key)).limits).toEqual({ budget: 2, budgetPeriod: 'monthly' });
    await tenancy.updateOrg(orgId, { budget_period: 'monthly' });
    expect((await tenancy.authenticateKey(created.key)).orgLimits).toMatchObject({ budget: 50, budgetPeriod: 'monthly' });
    const monthly = await tenancy.createKey(orgId, { name: 'm', budget_period: 'monthly' });
    expect(await tenancy.getKey(monthly.id)).toMatchObject({ budget: null, budget_period: 'monthly' });
  });

  it('records last_used_at lazily, in batches, not per request', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci' });
    await tenancy.authenticateKey(created.key);
    clock.advance(2000);
    await tenancy.authenticateKey(created.key);
    expect((await tenancy.getKey(created.id)).last_used_at).toBeNull();
    await tenancy.flushLastUsed();
    expect((await tenancy.getKey(created.id)).last_used_at).toBe('2026-11-25T00:00:02.000Z');
    expect((await tenancy.getKey(created.id)).updated_at).toBe('2026-11-25T00:00:00.000Z');
  });

  it('listKeys of an unknown org is a 404; createKey too', async () => {
    expect(await rejection(tenancy.listKeys('org_missing'))).toMatchObject({ status: 404, code: 'org_not_found' });
    expect(await rejection(tenancy.createKey('org_missing', { name: 'x' }))).toMatchObject({ status: 404, code: 'org_not_found' });
  });

  it('a different server secret makes every stored key unusable (the hash is keyed)', async () => {
    const created = await tenancy.createKey(orgId, { name: 'ci' });
    const other = await openTenancy(store, { secretKey: Buffer.alloc(32, 9), now: clock.now });
    try {
      expect(await rejection(other.authenticateKey(created.key))).toMatchObject({ status: 401 });
    } finally {
      await other.close();
    }
  });
});
