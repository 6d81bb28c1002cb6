import { isUniqueViolation, type TenancyContext } from './context.js';
import { conflict, notFound } from './errors.js';
import type { Role } from './tables.js';
import { memberView, type Member, type OrgRole } from './views.js';

/**
 * Who belongs to which org, with which role. Membership does not affect key authentication,
 * so these changes need no cache notice: sessions read roles fresh on every request.
 */

export async function addMember(ctx: TenancyContext, orgId: string, userId: string, role: Role): Promise<Member> {
  await requireOrg(ctx, orgId);
  const user = await ctx.db.selectFrom('users').select(['email', 'name']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('user', userId);
  const row = { org_id: orgId, user_id: userId, role, created_at: ctx.now() };
  try {
    await ctx.db.insertInto('memberships').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`User '${userId}' is already a member of '${orgId}'.`, 'user_id', 'member_exists');
    throw err;
  }
  return memberView({ ...row, ...user });
}

export async function setMemberRole(ctx: TenancyContext, orgId: string, userId: string, role: Role): Promise<Member> {
  const result = await ctx.db.updateTable('memberships').set({ role }).where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('member', userId);
  return getMember(ctx, orgId, userId);
}

export async function getMember(ctx: TenancyContext, orgId: string, userId: string): Promise<Member> {
  const row = await membersQuery(ctx, orgId).where('memberships.user_id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('member', userId);
  return memberView(row);
}

export async function removeMember(ctx: TenancyContext, orgId: string, userId: string): Promise<void> {
  const result = await ctx.db.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('member', userId);
}

export async function listMembers(ctx: TenancyContext, orgId: string): Promise<Member[]> {
  await requireOrg(ctx, orgId);
  return (await membersQuery(ctx, orgId).orderBy('users.email').execute()).map(memberView);
}

/** The orgs a user belongs to, with their role in each (sorted by org name). */
export async function rolesOf(ctx: TenancyContext, userId: string): Promise<OrgRole[]> {
  const rows = await ctx.db
    .selectFrom('memberships')
    .innerJoin('orgs', 'orgs.id', 'memberships.org_id')
    .select(['memberships.org_id', 'orgs.name as org_name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('orgs.name')
    .execute();
  return rows.map((r) => ({ org_id: r.org_id, org_name: r.org_name, role: r.role }));
}

function membersQuery(ctx: TenancyContext, orgId: string) {
  return ctx.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.org_id', 'memberships.user_id', 'memberships.role', 'memberships.created_at', 'users.email', 'users.name'])
    .where('memberships.org_id', '=', orgId);
}

async function requireOrg(ctx: TenancyContext, orgId: string): Promise<void> {
  const org = await ctx.db.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst();
  if (!org) throw notFound('org', orgId);
}
