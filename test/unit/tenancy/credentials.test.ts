import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import type { Tenancy } from '../../../src/tenancy/index.js';
import { describeEachStore } from '../../support/backends.js';
import { dumpTable, openTenancy } from '../../support/tenancy.js';

const SECRET_A = 'sk-live-upstream-credential-AAAAAAAAAAAA';
const SECRET_B = 'sk-live-upstream-credential-BBBBBBBBBBBB';

describeEachStore('tenancy provider credentials', (backend) => {
  let store: Store;
  let tenancy: Tenancy;

  beforeEach(async () => {
    store = await backend.open();
    tenancy = await openTenancy(store);
  });
  afterEach(async () => {
    await tenancy.close();
    await store.close();
  });

  it('stores only ciphertext, and gives the plaintext back', async () => {
    await tenancy.setProviderCredential('deepseek', SECRET_A);
    const rows = await dumpTable(store, 'provider_credentials');
    expect(rows).not.toContain(SECRET_A);
    expect(rows).not.toContain(Buffer.from(SECRET_A).toString('base64'));
    expect(rows).not.toContain('upstream-credential');
    expect(await tenancy.getProviderCredential('deepseek')).toBe(SECRET_A);
    expect(await tenancy.getProviderCredential('unknown')).toBeUndefined();
  });

  it('replaces a credential in place and lists and deletes them by name', async () => {
    await tenancy.setProviderCredential('deepseek', SECRET_A);
    await tenancy.setProviderCredential('deepseek', SECRET_B);
    await tenancy.setProviderCredential('ark', SECRET_A);
    expect(await tenancy.getProviderCredential('deepseek')).toBe(SECRET_B);
    expect((await tenancy.listProviderCredentials()).map((c) => c.provider)).toEqual(['ark', 'deepseek']);
    expect(await tenancy.deleteProviderCredential('ark')).toBe(true);
    expect(await tenancy.deleteProviderCredential('ark')).toBe(false);
    expect(await tenancy.getProviderCredential('ark')).toBeUndefined();
  });

  it('binds each ciphertext to its provider: a row copied onto another provider does not decrypt', async () => {
    await tenancy.setProviderCredential('a', SECRET_A);
    await tenancy.setProviderCredential('b', SECRET_B);
    type Row = { provider: string; ciphertext: string; iv: string; tag: string };
    const db = store.db.withTables<{ provider_credentials: Row }>();
    const a = await db.selectFrom('provider_credentials').select(['ciphertext', 'iv', 'tag']).where('provider', '=', 'a').executeTakeFirstOrThrow();
    await db.updateTable('provider_credentials').set(a).where('provider', '=', 'b').execute();
    await expect(tenancy.getProviderCredential('b')).rejects.toThrow(/Could not decrypt/);
  });

  it('cannot be read with another server secret', async () => {
    await tenancy.setProviderCredential('deepseek', SECRET_A);
    const other = await openTenancy(store, { secretKey: Buffer.alloc(32, 3) });
    try {
      await expect(other.getProviderCredential('deepseek')).rejects.toThrow(/Could not decrypt/);
    } finally {
      await other.close();
    }
  });
});
