import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANCY_ROUTES } from '../../src/tenancy/index.js';
import { MASTER, sessionCookieOf, startTenancyApp, type TenancyApp } from '../support/tenancy-app.js';

/**
 * The isolation matrix (DESIGN.md §7): every tenancy route, called by org B's key and by org B's
 * owner against org A's resources, is refused and leaks nothing: the answer is byte-for-byte the
 * answer for a resource that does not exist. Then the same routes from inside org A, as its key
 * and as a viewer: reads pass, writes are 403. A route added without a row here fails the suite.
 */

interface Ids {
  org: string;
  key: string;
  user: string;
}

interface Scenario {
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  /** Org-scoped routes answer 404 to outsiders; global ones are handled per route below. */
  scoped: boolean;
  /** Expected status for org A's own key and for org A's viewer. */
  own: { key: number; viewer: number };
}

const NEW_USER = { email: 'mallory@example.com', name: 'Mallory', password: 'password-123' };

const SCENARIOS: Record<string, Scenario> = {
  'POST /admin/v1/orgs': { path: () => '/admin/v1/orgs', body: () => ({ name: 'evil' }), scoped: false, own: { key: 403, viewer: 403 } },
  'GET /admin/v1/orgs': { path: () => '/admin/v1/orgs', scoped: false, own: { key: 200, viewer: 200 } },
  'GET /admin/v1/orgs/{org_id}': { path: (i) => `/admin/v1/orgs/${i.org}`, scoped: true, own: { key: 200, viewer: 200 } },
  'PATCH /admin/v1/orgs/{org_id}': { path: (i) => `/admin/v1/orgs/${i.org}`, body: () => ({ name: 'pwned', budget: 1e9 }), scoped: true, own: { key: 403, viewer: 403 } },
  'DELETE /admin/v1/orgs/{org_id}': { path: (i) => `/admin/v1/orgs/${i.org}`, scoped: true, own: { key: 403, viewer: 403 } },
  'GET /admin/v1/orgs/{org_id}/members': { path: (i) => `/admin/v1/orgs/${i.org}/members`, scoped: true, own: { key: 403, viewer: 200 } },
  'POST /admin/v1/orgs/{org_id}/members': {
    path: (i) => `/admin/v1/orgs/${i.org}/members`,
    body: () => ({ email: 'bob@example.com', role: 'owner' }),
    scoped: true,
    own: { key: 403, viewer: 403 },
  },
  'PATCH /admin/v1/orgs/{org_id}/members/{user_id}': {
    path: (i) => `/admin/v1/orgs/${i.org}/members/${i.user}`,
    body: () => ({ role: 'owner' }),
    scoped: true,
    own: { key: 403, viewer: 403 },
  },
  'DELETE /admin/v1/orgs/{org_id}/members/{user_id}': { path: (i) => `/admin/v1/orgs/${i.org}/members/${i.user}`, scoped: true, own: { key: 403, viewer: 403 } },
  'GET /admin/v1/orgs/{org_id}/keys': { path: (i) => `/admin/v1/orgs/${i.org}/keys`, scoped: true, own: { key: 200, viewer: 200 } },
  'POST /admin/v1/orgs/{org_id}/keys': { path: (i) => `/admin/v1/orgs/${i.org}/keys`, body: () => ({ name: 'stolen' }), scoped: true, own: { key: 403, viewer: 403 } },
  'GET /admin/v1/keys/{key_id}': { path: (i) => `/admin/v1/keys/${i.key}`, scoped: true, own: { key: 200, viewer: 200 } },
  'PATCH /admin/v1/keys/{key_id}': { path: (i) => `/admin/v1/keys/${i.key}`, body: () => ({ rpm: 1_000_000 }), scoped: true, own: { key: 403, viewer: 403 } },
  'DELETE /admin/v1/keys/{key_id}': { path: (i) => `/admin/v1/keys/${i.key}`, scoped: true, own: { key: 403, viewer: 403 } },
  'POST /admin/v1/keys/{key_id}/rotate': { path: (i) => `/admin/v1/keys/${i.key}/rotate`, scoped: true, own: { key: 403, viewer: 403 } },
  'POST /admin/v1/users': { path: () => '/admin/v1/users', body: () => NEW_USER, scoped: false, own: { key: 403, viewer: 403 } },
  'GET /admin/v1/users': { path: () => '/admin/v1/users', scoped: false, own: { key: 403, viewer: 403 } },
  'GET /admin/v1/auth/me': { path: () => '/admin/v1/auth/me', scoped: false, own: { key: 200, viewer: 200 } },
};

const routeName = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const PROTECTED = TENANCY_ROUTES.filter((r) => !r.public);

describe('tenancy isolation matrix', () => {
  let t: TenancyApp;
  let a: Ids;
  let aKeyPlaintext: string;
  let aKeyPrefix: string;
  let bKey: string;
  let bCookie: string;
  let aViewerCookie: string;
  let aSnapshot: unknown;
  const missing: Ids = { org: 'org_doesnotexist', key: 'key_doesnotexist', user: 'user_doesnotexist' };

  const snapshotA = async () => ({
    org: await t.tenancy.getOrg(a.org),
    keys: await t.tenancy.listKeys(a.org),
    members: await t.tenancy.listMembers(a.org),
  });

  beforeAll(async () => {
    t = await startTenancyApp();
    const orgA = await t.tenancy.createOrg({ name: 'acme-secret-name', budget: 100 });
    const orgB = await t.tenancy.createOrg({ name: 'beta' });
    const keyA = await t.tenancy.createKey(orgA.id, { name: 'a-key' });
    aKeyPlaintext = keyA.key;
    aKeyPrefix = keyA.prefix;
    bKey = (await t.tenancy.createKey(orgB.id, { name: 'b-key' })).key;
    const alice = await t.tenancy.createUser({ email: 'alice-a@example.com', name: 'Alice', password: 'password-123' });
    const viewer = await t.tenancy.createUser({ email: 'victor-a@example.com', name: 'Victor', password: 'password-123' });
    const bob = await t.tenancy.createUser({ email: 'bob@example.com', name: 'Bob', password: 'password-123' });
    await t.tenancy.addMember(orgA.id, alice.id, 'owner');
    await t.tenancy.addMember(orgA.id, viewer.id, 'viewer');
    await t.tenancy.addMember(orgB.id, bob.id, 'owner');
    a = { org: orgA.id, key: keyA.id, user: viewer.id };
    const login = (email: string) => t.call('POST', '/admin/v1/auth/login', { body: { email, password: 'password-123' } }).then(sessionCookieOf);
    bCookie = await login('bob@example.com');
    aViewerCookie = await login('victor-a@example.com');
    aSnapshot = await snapshotA();
  });
  afterAll(async () => t?.close());

  it('has a scenario for every protected tenancy route', () => {
    expect(PROTECTED.map(routeName).sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  const attackers = [
    { who: "org B's key", creds: () => ({ auth: bKey }) },
    { who: "org B's owner (session)", creds: () => ({ cookie: bCookie }) },
  ];

  for (const route of PROTECTED) {
    const scenario = SCENARIOS[routeName(route)];
    if (!scenario) continue;
    for (const attacker of attackers) {
      it(`${routeName(route)} as ${attacker.who}: refused, nothing of org A leaks`, async () => {
        const res = await t.call(route.method, scenario.path(a), { ...attacker.creds(), body: scenario.body?.(a) });
        const url = scenario.path(a);
        // What the caller typed into the URL may be echoed back; nothing else of org A may appear.
        const leak = [a.org, a.key, a.user, 'acme-secret-name', aKeyPrefix, aKeyPlaintext, 'alice-a@example.com', 'victor-a@example.com'].filter((s) => !url.includes(s));
        if (scenario.scoped) {
          expect(res.statusCode).toBe(404);
          const control = await t.call(route.method, scenario.path(missing), { ...attacker.creds(), body: scenario.body?.(missing) });
          const scrub = (text: string) => [a.org, a.key, a.user, missing.org, missing.key, missing.user].reduce((out, id) => out.replaceAll(id, 'ID'), text);
          expect({ status: res.statusCode, body: scrub(res.body) }).toEqual({ status: control.statusCode, body: scrub(control.body) });
        } else if (route.method === 'GET' && route.path === '/admin/v1/orgs') {
          expect(res.statusCode).toBe(200);
          expect(res.json().data.map((o: { name: string }) => o.name)).toEqual(['beta']);
        } else if (route.path === '/admin/v1/auth/me') {
          expect(res.statusCode).toBe(200);
        } else {
          expect(res.statusCode).toBe(403);
        }
        for (const secret of leak) expect(res.body).not.toContain(secret);
      });
    }
  }

  it("leaves org A exactly as it was, and its key still works", async () => {
    expect(await snapshotA()).toEqual(aSnapshot);
    expect((await t.tenancy.authenticateKey(aKeyPlaintext)).orgId).toBe(a.org);
    expect((await t.tenancy.listOrgs()).map((o) => o.name).sort()).toEqual(['acme-secret-name', 'beta']);
    expect((await t.tenancy.listUsers()).map((u) => u.email)).not.toContain(NEW_USER.email);
  });

  for (const route of PROTECTED) {
    const scenario = SCENARIOS[routeName(route)];
    if (!scenario) continue;
    for (const [who, expected, creds] of [
      ["org A's own key", scenario.own.key, () => ({ auth: aKeyPlaintext })],
      ["org A's viewer", scenario.own.viewer, () => ({ cookie: aViewerCookie })],
    ] as const) {
      it(`${routeName(route)} as ${who}: ${expected}`, async () => {
        // Reads only: a permitted write here would change org A for later rows.
        const res = await t.call(route.method, scenario.path(a), { ...creds(), body: scenario.body?.(a) });
        expect(res.statusCode, res.body).toBe(expected);
        if (route.path === '/admin/v1/orgs' && route.method === 'GET') expect(res.json().data.map((o: { id: string }) => o.id)).toEqual([a.org]);
        expect(res.body).not.toContain(aKeyPlaintext);
      });
    }
  }

  it('an org admin cannot make an owner nor touch one; the operator can', async () => {
    const admin = await t.tenancy.createUser({ email: 'adam-a@example.com', name: 'Adam', password: 'password-123' });
    await t.tenancy.addMember(a.org, admin.id, 'admin');
    const cookie = sessionCookieOf(await t.call('POST', '/admin/v1/auth/login', { body: { email: 'adam-a@example.com', password: 'password-123' } }));
    const owner = (await t.tenancy.listMembers(a.org)).find((m) => m.role === 'owner')!;
    expect((await t.call('PATCH', `/admin/v1/orgs/${a.org}/members/${a.user}`, { cookie, body: { role: 'owner' } })).statusCode).toBe(403);
    expect((await t.call('DELETE', `/admin/v1/orgs/${a.org}/members/${owner.user_id}`, { cookie })).statusCode).toBe(403);
    expect((await t.call('PATCH', `/admin/v1/orgs/${a.org}`, { cookie, body: { budget: 1e9 } })).statusCode).toBe(403);
    // Turning a spent lifetime budget into a monthly one would refill it: the operator's call too.
    expect((await t.call('PATCH', `/admin/v1/orgs/${a.org}`, { cookie, body: { budget_period: 'monthly' } })).statusCode).toBe(403);
    expect((await t.call('PATCH', `/admin/v1/orgs/${a.org}`, { cookie, body: { log_bodies: true } })).statusCode).toBe(200);
    // Where the org's budget alerts go is the tenant's own business, not something it is sold.
    const hooked = await t.call('PATCH', `/admin/v1/orgs/${a.org}`, { cookie, body: { alert_webhook_url: 'https://hooks.example.com/baimo' } });
    expect(hooked.statusCode).toBe(200);
    expect(hooked.json().alert_webhook_url).toBe('https://hooks.example.com/…'); // write-only: the path may hold a token
    expect((await t.call('PATCH', `/admin/v1/orgs/${a.org}/members/${a.user}`, { cookie, body: { role: 'member' } })).statusCode).toBe(200);
    expect((await t.call('PATCH', `/admin/v1/orgs/${a.org}/members/${a.user}`, { auth: MASTER, body: { role: 'owner' } })).statusCode).toBe(200);
  });
});
