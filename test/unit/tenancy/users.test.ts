import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import type { Tenancy } from '../../../src/tenancy/index.js';
import { describeEachStore } from '../../support/backends.js';
import { dumpTable, fakeClock, openTenancy, rejection, type FakeClock } from '../../support/tenancy.js';

describeEachStore('tenancy users and sessions', (backend) => {
  let store: Store;
  let tenancy: Tenancy;
  let clock: FakeClock;

  beforeEach(async () => {
    store = await backend.open();
    clock = fakeClock();
    tenancy = await openTenancy(store, { now: clock.now, options: { sessionTtlMs: 3600_000 } });
  });
  afterEach(async () => {
    await tenancy.close();
    await store.close();
  });

  it('creates a user with a lower-cased email and a bcrypt hash, never the password', async () => {
    const user = await tenancy.createUser({ email: 'Ada@Example.COM', name: 'Ada', password: 'correct horse' });
    expect(user).toEqual({ id: expect.stringMatching(/^user_/), email: 'ada@example.com', name: 'Ada', created_at: '2026-11-25T00:00:00.000Z' });
    const rows = await dumpTable(store, 'users');
    expect(rows).not.toContain('correct horse');
    expect(rows).toMatch(/\$2[aby]\$10\$/);
    expect(await tenancy.getUser(user.id)).toEqual(user);
    expect(await tenancy.findUserByEmail('ADA@example.com')).toEqual(user);
    expect(await tenancy.listUsers()).toEqual([user]);
  });

  it('refuses a second user with the same email in any case (409 user_exists)', async () => {
    await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'password-1' });
    expect(await rejection(tenancy.createUser({ email: 'ADA@example.com', name: 'Other', password: 'password-2' }))).toMatchObject({ status: 409, code: 'user_exists', param: 'email' });
  });

  it('authenticates a password; wrong password and unknown email both give undefined', async () => {
    const user = await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    expect(await tenancy.authenticatePassword('ADA@example.com', 'correct horse')).toEqual(user);
    expect(await tenancy.authenticatePassword('ada@example.com', 'wrong horse')).toBeUndefined();
    expect(await tenancy.authenticatePassword('nobody@example.com', 'correct horse')).toBeUndefined();
  });

  it('creates, resolves and deletes sessions; only the token hash is stored', async () => {
    const user = await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'password-1' });
    const session = await tenancy.createSession(user.id);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.expiresAt).toBe(clock.now() + 3600_000);
    expect(await dumpTable(store, 'sessions')).not.toContain(session.token);
    expect(await tenancy.resolveSession(session.token)).toEqual({ sessionId: session.sessionId, user, expiresAt: session.expiresAt });
    expect(await tenancy.resolveSession('not-a-token')).toBeUndefined();
    await tenancy.deleteSession(session.token);
    expect(await tenancy.resolveSession(session.token)).toBeUndefined();
  });

  it('expires sessions by the injected clock and deletes them', async () => {
    const user = await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'password-1' });
    const session = await tenancy.createSession(user.id);
    clock.advance(3600_000 - 1);
    expect(await tenancy.resolveSession(session.token)).toBeDefined();
    clock.advance(1);
    expect(await tenancy.resolveSession(session.token)).toBeUndefined();
    expect(await dumpTable(store, 'sessions')).toBe('[]');
  });
});

describeEachStore('tenancy memberships', (backend) => {
  let store: Store;
  let tenancy: Tenancy;

  beforeEach(async () => {
    store = await backend.open();
    tenancy = await openTenancy(store, { now: fakeClock().now });
  });
  afterEach(async () => {
    await tenancy.close();
    await store.close();
  });

  it('adds, lists, changes and removes members; rolesOf lists a user’s orgs', async () => {
    const acme = await tenancy.createOrg({ name: 'acme' });
    const beta = await tenancy.createOrg({ name: 'beta' });
    const ada = await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'password-1' });
    const bob = await tenancy.createUser({ email: 'bob@example.com', name: 'Bob', password: 'password-1' });
    const member = await tenancy.addMember(acme.id, ada.id, 'owner');
    expect(member).toEqual({ org_id: acme.id, user_id: ada.id, email: 'ada@example.com', name: 'Ada', role: 'owner', created_at: '2026-11-25T00:00:00.000Z' });
    await tenancy.addMemberBy(acme.id, { email: 'BOB@example.com', role: 'viewer' });
    await tenancy.addMember(beta.id, ada.id, 'member');
    expect((await tenancy.listMembers(acme.id)).map((m) => [m.email, m.role])).toEqual([
      ['ada@example.com', 'owner'],
      ['bob@example.com', 'viewer'],
    ]);
    expect(await tenancy.rolesOf(ada.id)).toEqual([
      { org_id: acme.id, org_name: 'acme', role: 'owner' },
      { org_id: beta.id, org_name: 'beta', role: 'member' },
    ]);
    expect((await tenancy.setMemberRole(acme.id, bob.id, 'admin')).role).toBe('admin');
    expect((await tenancy.getMember(acme.id, bob.id)).role).toBe('admin');
    await tenancy.removeMember(acme.id, bob.id);
    expect((await tenancy.listMembers(acme.id)).map((m) => m.user_id)).toEqual([ada.id]);
    expect(await tenancy.rolesOf(bob.id)).toEqual([]);
  });

  it('refuses duplicates (409) and unknown orgs, users and members (404)', async () => {
    const acme = await tenancy.createOrg({ name: 'acme' });
    const ada = await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'password-1' });
    await tenancy.addMember(acme.id, ada.id, 'member');
    expect(await rejection(tenancy.addMember(acme.id, ada.id, 'admin'))).toMatchObject({ status: 409, code: 'member_exists' });
    expect(await rejection(tenancy.addMember('org_missing', ada.id, 'admin'))).toMatchObject({ status: 404, code: 'org_not_found' });
    expect(await rejection(tenancy.addMember(acme.id, 'user_missing', 'admin'))).toMatchObject({ status: 404, code: 'user_not_found' });
    expect(await rejection(tenancy.addMemberBy(acme.id, { email: 'nobody@example.com', role: 'admin' }))).toMatchObject({ status: 404, code: 'user_not_found', param: 'email' });
    expect(await rejection(tenancy.setMemberRole(acme.id, 'user_missing', 'admin'))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await rejection(tenancy.removeMember(acme.id, 'user_missing'))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await rejection(tenancy.listMembers('org_missing'))).toMatchObject({ status: 404, code: 'org_not_found' });
  });

  it('keeps at least one owner: the last owner can be neither demoted nor removed (409 last_owner)', async () => {
    const acme = await tenancy.createOrg({ name: 'acme' });
    const ada = await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'password-1' });
    const bob = await tenancy.createUser({ email: 'bob@example.com', name: 'Bob', password: 'password-1' });
    await tenancy.addMember(acme.id, ada.id, 'owner');
    await tenancy.addMember(acme.id, bob.id, 'member');
    expect(await rejection(tenancy.setMemberRole(acme.id, ada.id, 'admin'))).toMatchObject({ status: 409, code: 'last_owner', param: 'user_id' });
    expect(await rejection(tenancy.removeMember(acme.id, ada.id))).toMatchObject({ status: 409, code: 'last_owner' });
    expect((await tenancy.getMember(acme.id, ada.id)).role).toBe('owner');
    // With a second owner, either may go.
    await tenancy.setMemberRole(acme.id, bob.id, 'owner');
    await tenancy.setMemberRole(acme.id, ada.id, 'viewer');
    expect(await rejection(tenancy.removeMember(acme.id, bob.id))).toMatchObject({ code: 'last_owner' });
    await tenancy.removeMember(acme.id, ada.id);
    expect((await tenancy.listMembers(acme.id)).map((m) => [m.email, m.role])).toEqual([['bob@example.com', 'owner']]);
  });

  it('two owners demoting each other at once: one succeeds, one is refused', async () => {
    const acme = await tenancy.createOrg({ name: 'acme' });
    const ada = await tenancy.createUser({ email: 'ada@example.com', name: 'Ada', password: 'password-1' });
    const bob = await tenancy.createUser({ email: 'bob@example.com', name: 'Bob', password: 'password-1' });
    await tenancy.addMember(acme.id, ada.id, 'owner');
    await tenancy.addMember(acme.id, bob.id, 'owner');
    const results = await Promise.allSettled([tenancy.setMemberRole(acme.id, ada.id, 'member'), tenancy.setMemberRole(acme.id, bob.id, 'member')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await tenancy.listMembers(acme.id)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });
});
