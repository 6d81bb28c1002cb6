import { isUniqueViolation, mutate, type TenancyContext } from './context.js';
import { conflict, notFound } from './errors.js';
import type { CreateOrgInput, UpdateOrgInput } from './schemas.js';
import type { OrgRow } from './tables.js';
import { orgView, type Org } from './views.js';

export const DEFAULT_BUDGET_ALERT_THRESHOLDS = [0.5, 0.8, 0.9];

const duplicateName = (name: string) => conflict(`An org named '${name}' already exists.`, 'name', 'org_exists');

export async function createOrg(ctx: TenancyContext, input: CreateOrgInput): Promise<Org> {
  const at = ctx.now();
  const row: OrgRow = {
    id: ctx.newId('org'),
    name: input.name,
    rpm: input.rpm ?? null,
    tpm: input.tpm ?? null,
    max_concurrency: input.max_concurrency ?? null,
    budget: input.budget ?? null,
    budget_period: input.budget_period ?? 'total',
    budget_alert_thresholds: JSON.stringify(input.budget_alert_thresholds ?? DEFAULT_BUDGET_ALERT_THRESHOLDS),
    log_bodies: input.log_bodies ? 1 : 0,
    disabled: input.disabled ? 1 : 0,
    alert_webhook_url: input.alert_webhook_url ?? null,
    created_at: at,
    updated_at: at,
  };
  try {
    await ctx.db.insertInto('orgs').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(input.name);
    throw err;
  }
  return orgView(row);
}

export async function getOrg(ctx: TenancyContext, orgId: string): Promise<Org> {
  const row = await ctx.db.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirst();
  if (!row) throw notFound('org', orgId);
  return orgView(row);
}

/** The org's alert webhook URL in full (views mask it); undefined when unset or the org is gone. */
export async function alertWebhookUrl(ctx: TenancyContext, orgId: string): Promise<string | undefined> {
  const row = await ctx.db.selectFrom('orgs').select('alert_webhook_url').where('id', '=', orgId).executeTakeFirst();
  return row?.alert_webhook_url ?? undefined;
}

/** All orgs, or only those with the given ids (a user's orgs). Sorted by name. */
export async function listOrgs(ctx: TenancyContext, ids?: readonly string[]): Promise<Org[]> {
  if (ids && ids.length === 0) return [];
  let query = ctx.db.selectFrom('orgs').selectAll().orderBy('name');
  if (ids) query = query.where('id', 'in', ids);
  return (await query.execute()).map(orgView);
}

export async function updateOrg(ctx: TenancyContext, orgId: string, patch: UpdateOrgInput): Promise<Org> {
  const changes: Partial<OrgRow> = { updated_at: ctx.now() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.rpm !== undefined) changes.rpm = patch.rpm;
  if (patch.tpm !== undefined) changes.tpm = patch.tpm;
  if (patch.max_concurrency !== undefined) changes.max_concurrency = patch.max_concurrency;
  if (patch.budget !== undefined) changes.budget = patch.budget;
  if (patch.budget_period !== undefined) changes.budget_period = patch.budget_period;
  if (patch.budget_alert_thresholds !== undefined) changes.budget_alert_thresholds = JSON.stringify(patch.budget_alert_thresholds);
  if (patch.log_bodies !== undefined) changes.log_bodies = patch.log_bodies ? 1 : 0;
  if (patch.disabled !== undefined) changes.disabled = patch.disabled ? 1 : 0;
  if (patch.alert_webhook_url !== undefined) changes.alert_webhook_url = patch.alert_webhook_url;
  try {
    // Cached key principals carry org limits and the disabled flag: every replica must drop them.
    return await mutate(ctx, () => ({ orgs: [orgId] }), async (trx) => {
      const row = await trx.updateTable('orgs').set(changes).where('id', '=', orgId).returningAll().executeTakeFirst();
      if (!row) throw notFound('org', orgId);
      return orgView(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(patch.name ?? '');
    throw err;
  }
}

/** Deletes the org with its keys and memberships (usage history stays with metering). */
export async function deleteOrg(ctx: TenancyContext, orgId: string): Promise<void> {
  await mutate(ctx, () => ({ orgs: [orgId] }), async (trx) => {
    await trx.deleteFrom('api_keys').where('org_id', '=', orgId).execute();
    await trx.deleteFrom('memberships').where('org_id', '=', orgId).execute();
    const result = await trx.deleteFrom('orgs').where('id', '=', orgId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('org', orgId);
  });
}
