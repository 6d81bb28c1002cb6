import { isUniqueViolation, type TenancyContext } from './context.js';
import { conflict, notFound } from './errors.js';
import type { Transaction } from 'kysely';
import type { Role, TenancyTables } from './tables.js';
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
  await ctx.db.transaction().execute(async (trx) => {
    if (role !== 'owner') await keepAnOwner(ctx, trx, orgId, userId, 'demote');
    const result = await trx.updateTable('memberships').set({ role }).where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('member', userId);
  });
  return getMember(ctx, orgId, userId);
}

export async function getMember(ctx: TenancyContext, orgId: string, userId: string): Promise<Member> {
  const row = await membersQuery(ctx, orgId).where('memberships.user_id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('member', userId);
  return memberView(row);
}

export async function removeMember(ctx: TenancyContext, orgId: string, userId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await keepAnOwner(ctx, trx, orgId, userId, 'remove');
    const result = await trx.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('member', userId);
  });
}

/**
 * An org that has owners keeps at least one: nobody would be left to manage its members and
 * keys from the console (the operator can still delete the org). On PostgreSQL the org row is
 * locked first, so two owners demoting each other at once cannot both succeed; SQLite
 * transactions are serialised already.
 */
async function keepAnOwner(ctx: TenancyContext, trx: Transaction<TenancyTables>, orgId: string, userId: string, action: 'demote' | 'remove'): Promise<void> {
  if (ctx.dialect === 'postgres') await trx.selectFrom('orgs').select('id').where('id', '=', orgId).forUpdate().execute();
  const owners = await trx.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).where('role', '=', 'owner').execute();
  if (owners.length === 1 && owners[0]!.user_id === userId) {
    throw conflict(`User '${userId}' is the last owner of '${orgId}': make another member an owner before you ${action} them.`, 'user_id', 'last_owner');
  }
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
