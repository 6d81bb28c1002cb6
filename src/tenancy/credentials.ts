import type { TenancyContext } from './context.js';
import type { SecretBox } from './secret-box.js';

/**
 * Upstream provider credentials stored in the database (for providers onboarded through the
 * admin API rather than baimo.yaml). Only ciphertext, IV and tag are stored; the provider name is
 * the AAD, so a ciphertext moved to another provider's row will not decrypt.
 */

export interface CredentialContext extends TenancyContext {
  box: SecretBox;
}

const aadOf = (provider: string) => `provider_credentials:${provider}`;

export async function setProviderCredential(ctx: CredentialContext, provider: string, plaintext: string): Promise<void> {
  const sealed = ctx.box.seal(plaintext, aadOf(provider));
  const at = ctx.now();
  await ctx.db
    .insertInto('provider_credentials')
    .values({ id: ctx.newId('cred'), provider, ...sealed, created_at: at, updated_at: at })
    .onConflict((oc) => oc.column('provider').doUpdateSet({ ...sealed, updated_at: at }))
    .execute();
}

export async function getProviderCredential(ctx: CredentialContext, provider: string): Promise<string | undefined> {
  const row = await ctx.db.selectFrom('provider_credentials').select(['ciphertext', 'iv', 'tag']).where('provider', '=', provider).executeTakeFirst();
  return row && ctx.box.open(row, aadOf(provider));
}

export async function listProviderCredentials(ctx: TenancyContext): Promise<{ provider: string; updated_at: number }[]> {
  return ctx.db.selectFrom('provider_credentials').select(['provider', 'updated_at']).orderBy('provider').execute();
}

export async function deleteProviderCredential(ctx: TenancyContext, provider: string): Promise<boolean> {
  const result = await ctx.db.deleteFrom('provider_credentials').where('provider', '=', provider).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
