import { createHmac, hkdfSync } from 'node:crypto';
import { invalidRequest } from '../protocol/errors.js';
import { mutate, type TenancyContext } from './context.js';
import { conflict, notFound } from './errors.js';
import type { CreateKeyInput, UpdateKeyInput } from './schemas.js';
import type { ApiKeyRow } from './tables.js';
import { keyView, type ApiKey, type CreatedKey } from './views.js';

/**
 * Tenant API keys: `sk-bm-` + 32 random bytes (base64url). Only a keyed hash and a 12-character
 * prefix are stored.
 *
 * Why HMAC-SHA256 and not bcrypt: bcrypt's slowness protects low-entropy secrets (passwords)
 * against guessing after a leak. A 256-bit random key cannot be guessed however fast the hash,
 * so slowness would buy nothing and would cost ~70 ms of CPU on every cache miss, which is a
 * denial-of-service lever. The HMAC key (derived from the server secret) means a stolen table
 * alone does not even allow checking a candidate key. A fast deterministic hash is also what
 * lets authentication look a key up by index instead of comparing against every row.
 */

export const KEY_PREFIX = 'sk-bm-';
const KEY_RANDOM_BYTES = 32;
/** `sk-bm-` + 43 base64url characters: anything else is rejected before hashing or a lookup. */
export const KEY_PATTERN = /^sk-bm-[A-Za-z0-9_-]{43}$/;
export const PREFIX_LENGTH = 12;

export type KeyHasher = (plaintext: string) => string;

export function createKeyHasher(secretKey: Buffer): KeyHasher {
  // A sub-key, so the secret-box key and the hashing key are never the same bytes.
  const hmacKey = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'baimo api key hash v1', 32));
  return (plaintext) => createHmac('sha256', hmacKey).update(plaintext, 'utf8').digest('hex');
}

interface KeyMaterial {
  plaintext: string;
  prefix: string;
  hash: string;
}

function newKeyMaterial(ctx: KeyContext): KeyMaterial {
  const plaintext = `${KEY_PREFIX}${ctx.randomBytes(KEY_RANDOM_BYTES).toString('base64url')}`;
  return { plaintext, prefix: plaintext.slice(0, PREFIX_LENGTH), hash: ctx.hashKey(plaintext) };
}

export interface KeyContext extends TenancyContext {
  hashKey: KeyHasher;
  /** Lets this replica's cache forget a negative entry for the new hash at once. */
  issued: (hash: string) => void;
}

function expiryOf(ctx: TenancyContext, expiresAt: string | null | undefined): number | null | undefined {
  if (expiresAt === undefined || expiresAt === null) return expiresAt;
  const ms = Date.parse(expiresAt);
  if (ms <= ctx.now()) throw invalidRequest(`Invalid value for 'expires_at': must be in the future.`, 'expires_at');
  return ms;
}

export async function createKey(ctx: KeyContext, orgId: string, input: CreateKeyInput): Promise<CreatedKey> {
  const org = await ctx.db.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst();
  if (!org) throw notFound('org', orgId);
  const material = newKeyMaterial(ctx);
  const at = ctx.now();
  const row: ApiKeyRow = {
    id: ctx.newId('key'),
    org_id: orgId,
    name: input.name,
    prefix: material.prefix,
    hash: material.hash,
    models: input.models ? JSON.stringify(input.models) : null,
    rpm: input.rpm ?? null,
    tpm: input.tpm ?? null,
    max_concurrency: input.max_concurrency ?? null,
    budget: input.budget ?? null,
    budget_period: input.budget_period ?? 'total',
    expires_at: expiryOf(ctx, input.expires_at) ?? null,
    revoked_at: null,
    created_at: at,
    updated_at: at,
    last_used_at: null,
  };
  // No cross-replica notice (which would make polling replicas drop their whole cache on every
  // creation): a peer can hold only a negative entry for this hash, and those live ≤ 1 s.
  await ctx.db.insertInto('api_keys').values(row).execute();
  ctx.issued(material.hash);
  return { ...keyView(row), key: material.plaintext };
}

export async function getKey(ctx: TenancyContext, keyId: string): Promise<ApiKey> {
  const row = await ctx.db.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  if (!row) throw notFound('key', keyId);
  return keyView(row);
}

/** Every key of the org, newest first, revoked ones included (with `revoked_at`). */
export async function listKeys(ctx: TenancyContext, orgId: string): Promise<ApiKey[]> {
  const org = await ctx.db.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst();
  if (!org) throw notFound('org', orgId);
  const rows = await ctx.db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(keyView);
}

export async function updateKey(ctx: TenancyContext, keyId: string, patch: UpdateKeyInput): Promise<ApiKey> {
  const changes: Partial<ApiKeyRow> = { updated_at: ctx.now() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.models !== undefined) changes.models = patch.models === null ? null : JSON.stringify(patch.models);
  if (patch.rpm !== undefined) changes.rpm = patch.rpm;
  if (patch.tpm !== undefined) changes.tpm = patch.tpm;
  if (patch.max_concurrency !== undefined) changes.max_concurrency = patch.max_concurrency;
  if (patch.budget !== undefined) changes.budget = patch.budget;
  if (patch.budget_period !== undefined) changes.budget_period = patch.budget_period;
  const expiry = expiryOf(ctx, patch.expires_at);
  if (expiry !== undefined) changes.expires_at = expiry;
  return mutate(ctx, () => ({ keys: [keyId] }), async (trx) => {
    const row = await trx.updateTable('api_keys').set(changes).where('id', '=', keyId).returningAll().executeTakeFirst();
    if (!row) throw notFound('key', keyId);
    return keyView(row);
  });
}

/** Idempotent: revoking a revoked key keeps its original `revoked_at`. */
export async function revokeKey(ctx: TenancyContext, keyId: string): Promise<ApiKey> {
  return mutate(ctx, () => ({ keys: [keyId] }), async (trx) => {
    const at = ctx.now();
    await trx.updateTable('api_keys').set({ revoked_at: at, updated_at: at }).where('id', '=', keyId).where('revoked_at', 'is', null).execute();
    const row = await trx.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
    if (!row) throw notFound('key', keyId);
    return keyView(row);
  });
}

/** A new plaintext for the same key id and settings; the old plaintext stops working. */
export async function rotateKey(ctx: KeyContext, keyId: string): Promise<CreatedKey> {
  const material = newKeyMaterial(ctx);
  const view = await mutate(ctx, () => ({ keys: [keyId] }), async (trx) => {
    const current = await trx.selectFrom('api_keys').select(['revoked_at']).where('id', '=', keyId).executeTakeFirst();
    if (!current) throw notFound('key', keyId);
    if (current.revoked_at !== null) throw conflict(`Key '${keyId}' is revoked; create a new key instead.`, null, 'key_revoked');
    const row = await trx
      .updateTable('api_keys')
      .set({ hash: material.hash, prefix: material.prefix, updated_at: ctx.now() })
      .where('id', '=', keyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return keyView(row);
  });
  return { ...view, key: material.plaintext };
}
