import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachStore } from '../support/backends.js';
import { MASTER, sessionCookieOf, startTenancyApp, type TenancyApp } from '../support/tenancy-app.js';

describeEachStore('tenancy admin API', (backend) => {
  let t: TenancyApp;
  beforeEach(async () => {
    t = await startTenancyApp({ store: await backend.open() });
  });
  afterEach(async () => t.close());

  it('DESIGN §2a: POST /orgs {name} → {id, name}; POST /orgs/{id}/keys → {id, key, prefix}; DELETE /keys/{id} revokes', async () => {
    const org = await t.call('POST', '/admin/v1/orgs', { auth: MASTER, body: { name: 'acme' } });
    expect(org.statusCode).toBe(201);
    expect(org.json()).toMatchObject({ id: expect.stringMatching(/^org_/), name: 'acme' });
    expect(org.headers['cache-control']).toBe('no-store');
    const orgId = org.json().id;

    const created = await t.call('POST', `/admin/v1/orgs/${orgId}/keys`, {
      auth: MASTER,
      body: { name: 'ci', models: ['qwen3-8b'], rpm: 60, tpm: 10_000, max_concurrency: 4, budget: 12.5, expires_at: '2099-01-01T00:00:00Z' },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json();
    expect(key).toMatchObject({ id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^sk-bm-/), prefix: key.key.slice(0, 12), org_id: orgId, models: ['qwen3-8b'], rpm: 60, tpm: 10_000, max_concurrency: 4, budget: 12.5, expires_at: '2099-01-01T00:00:00.000Z' });

    const me = await t.call('GET', '/admin/v1/auth/me', { auth: key.key });
    expect(me.json()).toEqual({ kind: 'key', key: { id: key.id, name: 'ci' }, org: { id: orgId, name: 'acme' } });
    const viaHeader = await t.call('GET', `/admin/v1/orgs/${orgId}`, { headers: { 'x-api-key': key.key } });
    expect(viaHeader.statusCode).toBe(200);

    const listed = await t.call('GET', `/admin/v1/orgs/${orgId}/keys`, { auth: MASTER });
    expect(listed.json().data).toHaveLength(1);
    expect(listed.body).not.toContain(key.key);
    expect(listed.json().data[0]).not.toHaveProperty('key');

    const revoked = await t.call('DELETE', `/admin/v1/keys/${key.id}`, { auth: MASTER });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: key.id, revoked_at: expect.any(String) });
    const after = await t.call('GET', '/admin/v1/auth/me', { auth: key.key });
    expect(after.statusCode).toBe(401);
    expect(after.json().error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
  });

  it('rotates a key over HTTP: the old plaintext is refused, the new one admitted', async () => {
    const orgId = (await t.tenancy.createOrg({ name: 'acme' })).id;
    const key = await t.tenancy.createKey(orgId, { name: 'ci' });
    const rotated = await t.call('POST', `/admin/v1/keys/${key.id}/rotate`, { auth: MASTER });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json()).toMatchObject({ id: key.id, key: expect.stringMatching(/^sk-bm-/) });
    expect((await t.call('GET', '/admin/v1/auth/me', { auth: key.key })).statusCode).toBe(401);
    expect((await t.call('GET', '/admin/v1/auth/me', { auth: rotated.json().key })).statusCode).toBe(200);
    expect((await t.call('GET', `/admin/v1/keys/${key.id}`, { auth: MASTER })).json().prefix).toBe(rotated.json().prefix);
  });

  it('lists, reads, patches and deletes orgs; updates keys', async () => {
    const orgId = (await t.call('POST', '/admin/v1/orgs', { auth: MASTER, body: { name: 'acme', budget: 10 } })).json().id;
    await t.call('POST', '/admin/v1/orgs', { auth: MASTER, body: { name: 'beta' } });
    expect((await t.call('GET', '/admin/v1/orgs', { auth: MASTER })).json().data.map((o: { name: string }) => o.name)).toEqual(['acme', 'beta']);
    const patched = await t.call('PATCH', `/admin/v1/orgs/${orgId}`, { auth: MASTER, body: { rpm: 5, budget: null, budget_alert_thresholds: [0.9], log_bodies: true } });
    expect(patched.json()).toMatchObject({ rpm: 5, budget: null, budget_alert_thresholds: [0.9], log_bodies: true });
    expect((await t.call('GET', `/admin/v1/orgs/${orgId}`, { auth: MASTER })).json()).toEqual(patched.json());
    const keyId = (await t.tenancy.createKey(orgId, { name: 'k' })).id;
    expect((await t.call('PATCH', `/admin/v1/keys/${keyId}`, { auth: MASTER, body: { rpm: 3, models: null } })).json()).toMatchObject({ rpm: 3, models: null });
    expect((await t.call('DELETE', `/admin/v1/orgs/${orgId}`, { auth: MASTER })).json()).toEqual({ id: orgId, deleted: true });
    expect((await t.call('GET', `/admin/v1/orgs/${orgId}`, { auth: MASTER })).statusCode).toBe(404);
    expect((await t.call('GET', `/admin/v1/keys/${keyId}`, { auth: MASTER })).statusCode).toBe(404);
  });

  it('budget_period: total by default; created, patched and read back on orgs and keys', async () => {
    const plain = (await t.call('POST', '/admin/v1/orgs', { auth: MASTER, body: { name: 'plain', budget: 10 } })).json();
    expect(plain.budget_period).toBe('total');
    const org = await t.call('POST', '/admin/v1/orgs', { auth: MASTER, body: { name: 'acme', budget: 10, budget_period: 'monthly' } });
    expect(org.statusCode).toBe(201);
    const orgId = org.json().id;
    expect((await t.call('GET', `/admin/v1/orgs/${orgId}`, { auth: MASTER })).json()).toMatchObject({ budget: 10, budget_period: 'monthly' });
    expect((await t.call('PATCH', `/admin/v1/orgs/${orgId}`, { auth: MASTER, body: { budget_period: 'total' } })).json()).toMatchObject({ budget: 10, budget_period: 'total' });

    const key = (await t.call('POST', `/admin/v1/orgs/${orgId}/keys`, { auth: MASTER, body: { name: 'k', budget: 5 } })).json();
    expect(key.budget_period).toBe('total');
    const patched = await t.call('PATCH', `/admin/v1/keys/${key.id}`, { auth: MASTER, body: { budget_period: 'monthly' } });
    expect(patched.json()).toMatchObject({ budget: 5, budget_period: 'monthly' });
    expect((await t.call('GET', `/admin/v1/keys/${key.id}`, { auth: MASTER })).json()).toEqual(patched.json());
    expect((await t.call('GET', `/admin/v1/orgs/${orgId}/keys`, { auth: MASTER })).json().data[0]).toMatchObject({ budget_period: 'monthly' });
    const monthly = (await t.call('POST', `/admin/v1/orgs/${orgId}/keys`, { auth: MASTER, body: { name: 'm', budget: 1, budget_period: 'monthly' } })).json();
    expect(monthly).toMatchObject({ budget: 1, budget_period: 'monthly' });

    const invalid = async (method: 'POST' | 'PATCH', url: string, body: object) => {
      const res = await t.call(method, url, { auth: MASTER, body });
      expect(res.statusCode).toBe(400);
      return res.json().error;
    };
    expect(await invalid('POST', '/admin/v1/orgs', { name: 'x', budget_period: 'weekly' })).toMatchObject({ param: 'budget_period', code: 'invalid_value' });
    expect(await invalid('PATCH', `/admin/v1/orgs/${orgId}`, { budget_period: null })).toMatchObject({ param: 'budget_period' });
    expect(await invalid('POST', `/admin/v1/orgs/${orgId}/keys`, { name: 'x', budget_period: 'Monthly' })).toMatchObject({ param: 'budget_period', code: 'invalid_value' });
    expect(await invalid('PATCH', `/admin/v1/keys/${key.id}`, { budget_period: 1 })).toMatchObject({ param: 'budget_period' });
  });

  it('conflicts: a second org with the same name is a 409 naming `name`', async () => {
    await t.call('POST', '/admin/v1/orgs', { auth: MASTER, body: { name: 'acme' } });
    const res = await t.call('POST', '/admin/v1/orgs', { auth: MASTER, body: { name: 'acme' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'org_exists', param: 'name' });
  });

  it('users and members over HTTP', async () => {
    const orgId = (await t.tenancy.createOrg({ name: 'acme' })).id;
    const user = await t.call('POST', '/admin/v1/users', { auth: MASTER, body: { email: 'Ada@Example.com', name: 'Ada', password: 'correct horse' } });
    expect(user.statusCode).toBe(201);
    expect(user.json()).toEqual({ id: expect.stringMatching(/^user_/), email: 'ada@example.com', name: 'Ada', created_at: expect.any(String) });
    expect(user.body).not.toContain('correct horse');
    expect((await t.call('GET', '/admin/v1/users', { auth: MASTER })).json().data).toHaveLength(1);
    const added = await t.call('POST', `/admin/v1/orgs/${orgId}/members`, { auth: MASTER, body: { email: 'ada@example.com', role: 'admin' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ org_id: orgId, user_id: user.json().id, role: 'admin' });
    const changed = await t.call('PATCH', `/admin/v1/orgs/${orgId}/members/${user.json().id}`, { auth: MASTER, body: { role: 'viewer' } });
    expect(changed.json().role).toBe('viewer');
    expect((await t.call('GET', `/admin/v1/orgs/${orgId}/members`, { auth: MASTER })).json().data).toHaveLength(1);
    expect((await t.call('DELETE', `/admin/v1/orgs/${orgId}/members/${user.json().id}`, { auth: MASTER })).json()).toEqual({ id: user.json().id, deleted: true });
    expect((await t.call('GET', `/admin/v1/orgs/${orgId}/members`, { auth: MASTER })).json().data).toEqual([]);
  });
});

describe('tenancy admin API: validation, sessions, logs', () => {
  let t: TenancyApp;
  let orgId: string;
  beforeEach(async () => {
    t = await startTenancyApp();
    orgId = (await t.tenancy.createOrg({ name: 'acme' })).id;
  });
  afterEach(async () => t.close());

  const bad = async (url: string, body: unknown, method = 'POST') => {
    const res = await t.call(method, url, { auth: MASTER, body });
    expect(res.statusCode).toBe(400);
    return res.json().error as { param: string | null; code: string; message: string };
  };

  it('answers bad input with a 400 that names the parameter', async () => {
    expect(await bad('/admin/v1/orgs', {})).toMatchObject({ param: 'name', code: 'missing_required_parameter' });
    expect(await bad('/admin/v1/orgs', { name: '' })).toMatchObject({ param: 'name', code: 'invalid_value' });
    expect(await bad('/admin/v1/orgs', { name: 'x', rpm: 0 })).toMatchObject({ param: 'rpm', code: 'invalid_value' });
    expect(await bad('/admin/v1/orgs', { name: 'x', rpm: 1.5 })).toMatchObject({ param: 'rpm' });
    expect(await bad('/admin/v1/orgs', { name: 'x', budget_alert_thresholds: [0.9, 0.5] })).toMatchObject({ param: 'budget_alert_thresholds' });
    expect(await bad('/admin/v1/orgs', { name: 'x', max_concurency: 3 })).toMatchObject({ param: 'max_concurency', code: 'unknown_parameter' });
    expect(await bad(`/admin/v1/orgs/${orgId}/keys`, { name: 'k', models: ['a', ''] })).toMatchObject({ param: 'models[1]' });
    expect(await bad(`/admin/v1/orgs/${orgId}/keys`, { name: 'k', expires_at: 'tomorrow' })).toMatchObject({ param: 'expires_at' });
    expect(await bad(`/admin/v1/orgs/${orgId}/keys`, { name: 'k', expires_at: '2001-01-01T00:00:00Z' })).toMatchObject({ param: 'expires_at' });
    expect(await bad(`/admin/v1/orgs/${orgId}/keys`, { name: 'k', budget: -1 })).toMatchObject({ param: 'budget' });
    expect(await bad(`/admin/v1/orgs/${orgId}/keys`, [1, 2])).toMatchObject({ param: null, code: 'invalid_request' });
    expect(await bad(`/admin/v1/orgs/${orgId}`, { rpm: 'fast' }, 'PATCH')).toMatchObject({ param: 'rpm' });
    expect(await bad('/admin/v1/users', { email: 'not-an-email', name: 'A', password: 'password-1' })).toMatchObject({ param: 'email' });
    expect(await bad('/admin/v1/users', { email: 'a@example.com', name: 'A', password: 'short' })).toMatchObject({ param: 'password' });
    expect(await bad('/admin/v1/users', { email: 'a@example.com', name: 'A', password: 'é'.repeat(40) })).toMatchObject({ param: 'password' });
    expect(await bad(`/admin/v1/orgs/${orgId}/members`, { role: 'admin' })).toMatchObject({ param: 'user_id' });
    expect(await bad(`/admin/v1/orgs/${orgId}/members`, { user_id: 'u', role: 'boss' })).toMatchObject({ param: 'role' });
  });

  it('authenticates first: no credential is a 401 even with a bad body', async () => {
    const res = await t.call('POST', '/admin/v1/orgs', { body: {} });
    expect(res.statusCode).toBe(401);
    expect((await t.call('GET', '/admin/v1/orgs', { auth: 'sk-bm-wrong' })).statusCode).toBe(401);
  });

  it('signs in with a session cookie (HttpOnly, SameSite=Lax, Secure behind https), then out', async () => {
    const user = await t.tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    await t.tenancy.addMember(orgId, user.id, 'owner');
    const login = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ADA@example.com', password: 'correct horse' } });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { id: user.id }, orgs: [{ org_id: orgId, org_name: 'acme', role: 'owner' }], expires_at: expect.any(String) });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^baimo_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    const cookie = sessionCookieOf(login);

    expect((await t.call('GET', '/admin/v1/auth/me', { cookie })).json()).toEqual({
      kind: 'user',
      user: { id: user.id, email: 'ada@example.com', name: 'Ada' },
      orgs: [{ org_id: orgId, org_name: 'acme', role: 'owner' }],
    });
    expect((await t.call('POST', `/admin/v1/orgs/${orgId}/keys`, { cookie, body: { name: 'from-console' } })).statusCode).toBe(201);

    const secure = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' }, headers: { 'x-forwarded-proto': 'https' } });
    expect(String(secure.headers['set-cookie'])).toMatch(/; Secure$/);

    const logout = await t.call('POST', '/admin/v1/auth/logout', { cookie });
    expect(logout.json()).toEqual({ ok: true });
    expect(String(logout.headers['set-cookie'])).toMatch(/^baimo_session=; .*Max-Age=0/);
    expect((await t.call('GET', '/admin/v1/auth/me', { cookie })).statusCode).toBe(401);
  });

  it('refuses a wrong password and an unknown email alike (401), and a cookie-borne cross-site write (403)', async () => {
    await t.tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    const wrong = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'wrong horse' } });
    const unknown = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'bob@example.com', password: 'wrong horse' } });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const login = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } });
    const cookie = sessionCookieOf(login);
    const cross = await t.call('POST', '/admin/v1/users', { cookie, body: {}, headers: { origin: 'https://evil.example', host: 'baimo.local' } });
    expect(cross.statusCode).toBe(403);
    const sameOrigin = await t.call('GET', '/admin/v1/orgs', { cookie, headers: { origin: 'https://evil.example' } });
    expect(sameOrigin.statusCode).toBe(200);
  });

  it('a wrong key is refused even with a valid session cookie alongside', async () => {
    await t.tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    const cookie = sessionCookieOf(await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } }));
    expect((await t.call('GET', '/admin/v1/auth/me', { cookie, auth: 'sk-bm-not-a-real-key' })).statusCode).toBe(401);
  });

  it('serves the OpenAPI document without a credential', async () => {
    const res = await t.call('GET', '/admin/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ openapi: '3.1.0', paths: { '/admin/v1/orgs': { post: expect.any(Object) } } });
  });

  it('never writes a key plaintext or a password into the logs', async () => {
    const created = (await t.call('POST', `/admin/v1/orgs/${orgId}/keys`, { auth: MASTER, body: { name: 'ci' } })).json();
    await t.call('GET', '/admin/v1/auth/me', { auth: created.key });
    await t.call('GET', '/admin/v1/auth/me', { headers: { 'x-api-key': created.key } });
    const rotated = (await t.call('POST', `/admin/v1/keys/${created.id}/rotate`, { auth: MASTER })).json();
    await t.call('GET', `/admin/v1/orgs/${orgId}/keys`, { auth: rotated.key });
    await t.call('DELETE', `/admin/v1/keys/${created.id}`, { auth: MASTER });
    await t.call('GET', '/admin/v1/auth/me', { auth: rotated.key });
    await t.call('POST', '/admin/v1/users', { auth: MASTER, body: { email: 'ada@example.com', name: 'Ada', password: 'correct horse' } });
    await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } });
    const logs = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(10);
    for (const secret of [created.key, rotated.key, 'correct horse', MASTER]) expect(logs).not.toContain(secret);
  });
});

describeEachStore('console sign-in throttle', (backend) => {
  let t: TenancyApp;
  beforeEach(async () => {
    t = await startTenancyApp({ store: await backend.open(), options: { login: { maxPerEmail: 3, maxPerAddress: 100, windowMs: 60_000 } } });
  });
  afterEach(async () => t.close());

  it('after 3 wrong passwords the email is refused with 429 and retry-after, even with the right password', async () => {
    await t.tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    for (let i = 0; i < 3; i++) {
      const wrong = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: `guess ${i}` } });
      expect(wrong.statusCode).toBe(401);
    }
    const locked = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().error).toMatchObject({ code: 'too_many_login_attempts', type: 'rate_limit_error' });
    expect(locked.headers['set-cookie']).toBeUndefined();
  });

  it('a successful sign-in clears the count', async () => {
    await t.tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'nope' } });
      const ok = await t.call('POST', '/admin/v1/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } });
      expect(ok.statusCode).toBe(200);
    }
  });
});
