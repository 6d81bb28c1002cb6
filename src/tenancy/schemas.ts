import { z } from 'zod';

/**
 * The admin API's shapes, once: handlers validate with these, tenancy functions take their
 * inferred types, and openapi.ts renders them to JSON Schema. Objects are strict: a misspelt
 * field (`max_concurency`) is a 400 naming it, never silently ignored (house rule 9).
 */

const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);

const name = z
  .string()
  .min(1)
  .max(100)
  .refine((s) => s.trim() === s, 'must not start or end with whitespace');
const perMinute = z.int().min(1).max(1_000_000_000);
const budget = z.number().min(0).max(1e12);
export const budgetPeriodSchema = z.enum(['total', 'monthly']).meta({
  description: '`total`: the budget is a lifetime cap. `monthly`: it starts afresh on the 1st of each month, 00:00 UTC.',
});
const thresholds = z
  .array(z.number().gt(0).lte(1))
  .max(10)
  .refine((a) => a.every((v, i) => i === 0 || v > a[i - 1]!), 'must be increasing, without duplicates');
const models = z.array(z.string().min(1).max(200)).min(1).max(1000);
const timestamp = z.iso.datetime({ offset: true });

/**
 * Validated at the edge; whether it may be reached (a private address) is decided at delivery,
 * by the SSRF guard, because DNS can change after it is saved.
 */
const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' })
  .max(2048)
  .meta({ description: 'Budget alerts are POSTed here as JSON (docs/limits.md). null: stored and listed only.' });

const orgFields = {
  rpm: perMinute.nullable().optional(),
  tpm: perMinute.nullable().optional(),
  max_concurrency: z.int().min(1).max(1_000_000).nullable().optional(),
  budget: budget.nullable().optional(),
  budget_period: budgetPeriodSchema.optional(),
  budget_alert_thresholds: thresholds.optional(),
  log_bodies: z.boolean().optional(),
  disabled: z.boolean().optional(),
  alert_webhook_url: webhookUrl.nullable().optional(),
};

export const createOrgBody = z.strictObject({ name, ...orgFields });
export const updateOrgBody = z.strictObject({ name: name.optional(), ...orgFields });
export type CreateOrgInput = z.infer<typeof createOrgBody>;
export type UpdateOrgInput = z.infer<typeof updateOrgBody>;
/** Fields only the platform operator may change: they are what the tenant is sold. */
export const OPERATOR_ONLY_ORG_FIELDS = ['rpm', 'tpm', 'max_concurrency', 'budget', 'budget_period', 'disabled'] as const;

const keyFields = {
  models: models.nullable().optional(),
  rpm: perMinute.nullable().optional(),
  tpm: perMinute.nullable().optional(),
  max_concurrency: z.int().min(1).max(1_000_000).nullable().optional(),
  budget: budget.nullable().optional(),
  budget_period: budgetPeriodSchema.optional(),
  expires_at: timestamp.nullable().optional(),
};
export const createKeyBody = z.strictObject({ name, ...keyFields });
export const updateKeyBody = z.strictObject({ name: name.optional(), ...keyFields });
export type CreateKeyInput = z.infer<typeof createKeyBody>;
export type UpdateKeyInput = z.infer<typeof updateKeyBody>;

/** bcrypt reads only the first 72 bytes: a longer password would be truncated silently. */
const password = z
  .string()
  .min(8)
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'must be at most 72 bytes (bcrypt ignores the rest)');
export const createUserBody = z.strictObject({ email: z.email().max(254), name, password });
export type CreateUserInput = z.infer<typeof createUserBody>;

export const addMemberBody = z
  .strictObject({ user_id: z.string().min(1).optional(), email: z.string().min(1).optional(), role: roleSchema })
  .refine((b) => (b.user_id === undefined) !== (b.email === undefined), {
    message: 'give exactly one of user_id or email',
    path: ['user_id'],
  });
export const updateMemberBody = z.strictObject({ role: roleSchema });
export type AddMemberInput = z.infer<typeof addMemberBody>;

export const loginBody = z.strictObject({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) });

// Response shapes (documentation; handlers return views.ts objects that match them). Loose: more
// fields may be added (DESIGN.md §2a), so generated clients must not reject unknown ones.
const ts = z.string().meta({ format: 'date-time' });
export const orgSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  rpm: z.int().nullable(),
  tpm: z.int().nullable(),
  max_concurrency: z.int().nullable(),
  budget: z.number().nullable(),
  budget_period: budgetPeriodSchema,
  budget_alert_thresholds: z.array(z.number()),
  log_bodies: z.boolean(),
  disabled: z.boolean(),
  alert_webhook_url: z.string().nullable(),
  created_at: ts,
  updated_at: ts,
});
export const keySchema = z.looseObject({
  id: z.string(),
  org_id: z.string(),
  name: z.string(),
  prefix: z.string(),
  models: z.array(z.string()).nullable(),
  rpm: z.int().nullable(),
  tpm: z.int().nullable(),
  max_concurrency: z.int().nullable(),
  budget: z.number().nullable(),
  budget_period: budgetPeriodSchema,
  expires_at: ts.nullable(),
  revoked_at: ts.nullable(),
  created_at: ts,
  updated_at: ts,
  last_used_at: ts.nullable(),
});
export const createdKeySchema = keySchema.extend({ key: z.string().meta({ description: 'The plaintext key; returned only once.' }) });
export const userSchema = z.looseObject({ id: z.string(), email: z.string(), name: z.string(), created_at: ts });
export const memberSchema = z.looseObject({
  org_id: z.string(),
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  created_at: ts,
});
export const orgRoleSchema = z.looseObject({ org_id: z.string(), org_name: z.string(), role: roleSchema });
export const meSchema = z.union([
  z.looseObject({ kind: z.literal('operator') }),
  z.looseObject({ kind: z.literal('user'), user: userSchema.omit({ created_at: true }), orgs: z.array(orgRoleSchema) }),
  z.looseObject({ kind: z.literal('key'), key: z.object({ id: z.string(), name: z.string() }), org: z.object({ id: z.string(), name: z.string() }) }),
]);
export const sessionSchema = z.looseObject({ user: userSchema, orgs: z.array(orgRoleSchema), expires_at: ts });
export const deletedSchema = z.looseObject({ id: z.string(), deleted: z.literal(true) });
export const okSchema = z.looseObject({ ok: z.literal(true) });
export const errorSchema = z.looseObject({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});
export const listOf = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item) });
