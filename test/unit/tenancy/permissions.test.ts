import { describe, expect, it } from 'vitest';
import { authorizeOrg, can, requireOperator, visibleOrgIds, type OrgAction } from '../../../src/tenancy/permissions.js';
import type { KeyPrincipal, Principal, Role, UserPrincipal } from '../../../src/tenancy/index.js';

const user = (role: Role, orgId = 'org_a'): UserPrincipal => ({
  kind: 'user',
  userId: 'user_1',
  email: 'u@example.com',
  name: 'U',
  sessionId: 's',
  roles: [{ orgId, orgName: orgId, role }],
});
const key: KeyPrincipal = {
  kind: 'key',
  keyId: 'key_1',
  keyName: 'k',
  orgId: 'org_a',
  orgName: 'a',
  models: null,
  limits: {},
  orgLimits: { budgetAlertThresholds: [] },
  logBodies: false,
};

const ACTIONS: OrgAction[] = ['org:read', 'org:update', 'org:update_limits', 'org:delete', 'keys:read', 'keys:write', 'members:read', 'members:write', 'members:manage_owners'];

/** The grant table, written out: a change to permissions.ts must change this too. */
const EXPECTED: Record<string, OrgAction[]> = {
  owner: ['org:read', 'org:update', 'keys:read', 'keys:write', 'members:read', 'members:write', 'members:manage_owners'],
  admin: ['org:read', 'org:update', 'keys:read', 'keys:write', 'members:read', 'members:write'],
  member: ['org:read', 'keys:read', 'members:read'],
  viewer: ['org:read', 'keys:read', 'members:read'],
  key: ['org:read', 'keys:read'],
  operator: ACTIONS,
};

const principals: Record<string, Principal> = {
  owner: user('owner'),
  admin: user('admin'),
  member: user('member'),
  viewer: user('viewer'),
  key,
  operator: { kind: 'operator' },
};

describe('tenancy permissions', () => {
  for (const [who, principal] of Object.entries(principals)) {
    it(`${who}: allowed exactly ${EXPECTED[who]!.length} actions in its own org`, () => {
      expect(ACTIONS.filter((a) => can(principal, 'org_a', a))).toEqual(EXPECTED[who]);
      for (const action of ACTIONS) {
        if (EXPECTED[who]!.includes(action)) expect(() => authorizeOrg(principal, 'org_a', action)).not.toThrow();
        else expect(() => authorizeOrg(principal, 'org_a', action)).toThrow(expect.objectContaining({ status: 403 }));
      }
    });
  }

  it('another org is invisible (404, same as missing) to users and keys, for every action', () => {
    for (const principal of [user('owner'), key]) {
      for (const action of ACTIONS) {
        expect(() => authorizeOrg(principal, 'org_b', action)).toThrow(expect.objectContaining({ status: 404, code: 'org_not_found', message: "No org 'org_b' was found." }));
      }
      expect(() => authorizeOrg(principal, 'org_b', 'keys:write', { kind: 'key', id: 'key_9' })).toThrow(expect.objectContaining({ status: 404, code: 'key_not_found' }));
    }
  });

  it('operator-only actions and visible org lists', () => {
    expect(() => requireOperator({ kind: 'operator' })).not.toThrow();
    expect(() => requireOperator(user('owner'))).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireOperator(key)).toThrow(expect.objectContaining({ status: 403 }));
    expect(visibleOrgIds({ kind: 'operator' })).toBeUndefined();
    expect(visibleOrgIds(key)).toEqual(['org_a']);
    expect(visibleOrgIds(user('viewer', 'org_x'))).toEqual(['org_x']);
  });
});
