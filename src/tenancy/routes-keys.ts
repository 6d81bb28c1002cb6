import { authorizeOrg, type OrgAction } from './permissions.js';
import type { Principal } from './principal.js';
import { route, type RouteSpec } from './route-spec.js';
import { createdKeySchema, createKeyBody, keySchema, listOf, updateKeyBody } from './schemas.js';
import type { Tenancy } from './tenancy.js';
import type { ApiKey } from './views.js';

/** Tenant API keys. Key-scoped routes find the key's org first, then authorize against it. */

async function authorizedKey(tenancy: Tenancy, principal: Principal, keyId: string, action: OrgAction): Promise<ApiKey> {
  const key = await tenancy.getKey(keyId);
  authorizeOrg(principal, key.org_id, action, { kind: 'key', id: keyId });
  return key;
}

export const keyRoutes: RouteSpec[] = [
  route({ method: 'GET', path: '/admin/v1/orgs/{org_id}/keys', summary: "List an org's keys (never the plaintext)", tag: 'keys', response: listOf(keySchema) }, async ({ principal, params, tenancy }) => {
    authorizeOrg(principal, params.org_id!, 'keys:read');
    return { data: await tenancy.listKeys(params.org_id!) };
  }),
  route(
    {
      method: 'POST',
      path: '/admin/v1/orgs/{org_id}/keys',
      summary: 'Create a key; the plaintext `key` is returned only in this answer',
      tag: 'keys',
      body: createKeyBody,
      response: createdKeySchema,
      status: 201,
    },
    async ({ principal, params, body, tenancy }) => {
      authorizeOrg(principal, params.org_id!, 'keys:write');
      return tenancy.createKey(params.org_id!, body);
    },
  ),
  route({ method: 'GET', path: '/admin/v1/keys/{key_id}', summary: 'Get a key', tag: 'keys', response: keySchema }, async ({ principal, params, tenancy }) =>
    authorizedKey(tenancy, principal, params.key_id!, 'keys:read'),
  ),
  route(
    { method: 'PATCH', path: '/admin/v1/keys/{key_id}', summary: "Change a key's name, models, limits or expiry", tag: 'keys', body: updateKeyBody, response: keySchema },
    async ({ principal, params, body, tenancy }) => {
      await authorizedKey(tenancy, principal, params.key_id!, 'keys:write');
      return tenancy.updateKey(params.key_id!, body);
    },
  ),
  route(
    { method: 'DELETE', path: '/admin/v1/keys/{key_id}', summary: 'Revoke a key (every replica refuses it within a second)', tag: 'keys', response: keySchema },
    async ({ principal, params, tenancy }) => {
      await authorizedKey(tenancy, principal, params.key_id!, 'keys:write');
      return tenancy.revokeKey(params.key_id!);
    },
  ),
  route(
    {
      method: 'POST',
      path: '/admin/v1/keys/{key_id}/rotate',
      summary: 'Issue a new plaintext for the same key; the old one stops working',
      tag: 'keys',
      response: createdKeySchema,
    },
    async ({ principal, params, tenancy }) => {
      await authorizedKey(tenancy, principal, params.key_id!, 'keys:write');
      return tenancy.rotateKey(params.key_id!);
    },
  ),
];
