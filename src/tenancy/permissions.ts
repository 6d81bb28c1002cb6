import { forbidden } from '../protocol/errors.js';
import { notFound, type ResourceKind } from './errors.js';
import type { Principal } from './principal.js';
import type { Role } from './tables.js';

/**
 * Who may do what, as data. The operator may do everything. A console user acts inside the orgs
 * they belong to, by role; a tenant key may only read its own org and its keys. An org the
 * caller cannot see answers 404, exactly as a missing one does, so other tenants' ids cannot be
 * probed; an org they can see but not change answers 403.
 */

export type OrgAction =
  | 'org:read'
  | 'org:update'
  | 'org:update_limits'
  | 'org:delete'
  | 'keys:read'
  | 'keys:write'
  | 'members:read'
  | 'members:write'
  | 'members:manage_owners';

type Actor = Role | 'key';

const ALL_ROLES: Actor[] = ['owner', 'admin', 'member', 'viewer'];
const MANAGERS: Actor[] = ['owner', 'admin'];

const GRANTS: Readonly<Record<OrgAction, ReadonlySet<Actor>>> = {
  'org:read': new Set([...ALL_ROLES, 'key']),
  'org:update': new Set(MANAGERS),
  // Limits, budget and the disabled switch are what the platform sells the tenant.
  'org:update_limits': new Set(),
  'org:delete': new Set(),
  'keys:read': new Set([...ALL_ROLES, 'key']),
  'keys:write': new Set(MANAGERS),
  'members:read': new Set(ALL_ROLES),
  'members:write': new Set(MANAGERS),
  // An admin cannot make someone owner, nor remove or demote an owner.
  'members:manage_owners': new Set(['owner']),
};

/** The caller's standing in an org: undefined when they cannot see it at all. */
export function actorIn(principal: Principal, orgId: string): Actor | 'operator' | undefined {
  switch (principal.kind) {
    case 'operator':
      return 'operator';
    case 'key':
      return principal.orgId === orgId ? 'key' : undefined;
    case 'user':
      return principal.roles.find((r) => r.orgId === orgId)?.role;
  }
}

export function can(principal: Principal, orgId: string, action: OrgAction): boolean {
  const actor = actorIn(principal, orgId);
  return actor === 'operator' || (actor !== undefined && GRANTS[action].has(actor));
}

/**
 * Throws 404 (as `kind`/`id`, e.g. the key the route names) when the org is invisible to the
 * caller, 403 when visible but the action is not granted.
 */
export function authorizeOrg(principal: Principal, orgId: string, action: OrgAction, resource?: { kind: ResourceKind; id: string }): void {
  const actor = actorIn(principal, orgId);
  if (actor === undefined) throw notFound(resource?.kind ?? 'org', resource?.id ?? orgId);
  if (actor === 'operator' || GRANTS[action].has(actor)) return;
  throw forbidden(`Your ${actor === 'key' ? 'API key' : `role (${actor})`} does not allow ${action} in this organization.`);
}

export function requireOperator(principal: Principal): void {
  if (principal.kind !== 'operator') throw forbidden('Only the platform operator may do this.');
}

/** Orgs the caller may list: undefined = all of them. */
export function visibleOrgIds(principal: Principal): string[] | undefined {
  switch (principal.kind) {
    case 'operator':
      return undefined;
    case 'key':
      return [principal.orgId];
    case 'user':
      return principal.roles.map((r) => r.orgId);
  }
}
