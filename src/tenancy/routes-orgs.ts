import { authorizeOrg, requireOperator, visibleOrgIds } from './permissions.js';
import { route, type RouteSpec } from './route-spec.js';
import {
  addMemberBody,
  createOrgBody,
  deletedSchema,
  listOf,
  memberSchema,
  OPERATOR_ONLY_ORG_FIELDS,
  orgSchema,
  updateMemberBody,
  updateOrgBody,
} from './schemas.js';

/** Orgs and their members. Every org-scoped route checks visibility first (404), then the grant (403). */
export const orgRoutes: RouteSpec[] = [
  route(
    { method: 'POST', path: '/admin/v1/orgs', summary: 'Create an org (operator)', tag: 'orgs', body: createOrgBody, response: orgSchema, status: 201 },
    async ({ principal, body, tenancy }) => {
      requireOperator(principal);
      return tenancy.createOrg(body);
    },
  ),
  route({ method: 'GET', path: '/admin/v1/orgs', summary: 'List the orgs the caller can see', tag: 'orgs', response: listOf(orgSchema) }, async ({ principal, tenancy }) => ({
    data: await tenancy.listOrgs(visibleOrgIds(principal)),
  })),
  route({ method: 'GET', path: '/admin/v1/orgs/{org_id}', summary: 'Get an org', tag: 'orgs', response: orgSchema }, async ({ principal, params, tenancy }) => {
    authorizeOrg(principal, params.org_id!, 'org:read');
    return tenancy.getOrg(params.org_id!);
  }),
  route(
    {
      method: 'PATCH',
      path: '/admin/v1/orgs/{org_id}',
      summary: 'Update an org: name, alert thresholds and body logging (owner/admin); limits, budget, disabled (operator)',
      tag: 'orgs',
      body: updateOrgBody,
      response: orgSchema,
    },
    async ({ principal, params, body, tenancy }) => {
      const orgId = params.org_id!;
      authorizeOrg(principal, orgId, 'org:update');
      if (OPERATOR_ONLY_ORG_FIELDS.some((field) => body[field] !== undefined)) authorizeOrg(principal, orgId, 'org:update_limits');
      return tenancy.updateOrg(orgId, body);
    },
  ),
  route(
    { method: 'DELETE', path: '/admin/v1/orgs/{org_id}', summary: 'Delete an org with its keys and memberships (operator)', tag: 'orgs', response: deletedSchema },
    async ({ principal, params, tenancy }) => {
      authorizeOrg(principal, params.org_id!, 'org:delete');
      await tenancy.deleteOrg(params.org_id!);
      return { id: params.org_id!, deleted: true };
    },
  ),

  route(
    { method: 'GET', path: '/admin/v1/orgs/{org_id}/members', summary: 'List members', tag: 'members', response: listOf(memberSchema) },
    async ({ principal, params, tenancy }) => {
      authorizeOrg(principal, params.org_id!, 'members:read');
      return { data: await tenancy.listMembers(params.org_id!) };
    },
  ),
  route(
    {
      method: 'POST',
      path: '/admin/v1/orgs/{org_id}/members',
      summary: 'Add an existing user (by user_id or email) with a role',
      tag: 'members',
      body: addMemberBody,
      response: memberSchema,
      status: 201,
    },
    async ({ principal, params, body, tenancy }) => {
      const orgId = params.org_id!;
      authorizeOrg(principal, orgId, 'members:write');
      if (body.role === 'owner') authorizeOrg(principal, orgId, 'members:manage_owners');
      return tenancy.addMemberBy(orgId, body);
    },
  ),
  route(
    { method: 'PATCH', path: '/admin/v1/orgs/{org_id}/members/{user_id}', summary: "Change a member's role", tag: 'members', body: updateMemberBody, response: memberSchema },
    async ({ principal, params, body, tenancy }) => {
      const orgId = params.org_id!;
      authorizeOrg(principal, orgId, 'members:write');
      const current = await tenancy.getMember(orgId, params.user_id!);
      if (current.role === 'owner' || body.role === 'owner') authorizeOrg(principal, orgId, 'members:manage_owners');
      return tenancy.setMemberRole(orgId, params.user_id!, body.role);
    },
  ),
  route(
    { method: 'DELETE', path: '/admin/v1/orgs/{org_id}/members/{user_id}', summary: 'Remove a member', tag: 'members', response: deletedSchema },
    async ({ principal, params, tenancy }) => {
      const orgId = params.org_id!;
      authorizeOrg(principal, orgId, 'members:write');
      const current = await tenancy.getMember(orgId, params.user_id!);
      if (current.role === 'owner') authorizeOrg(principal, orgId, 'members:manage_owners');
      await tenancy.removeMember(orgId, params.user_id!);
      return { id: params.user_id!, deleted: true };
    },
  ),
];
