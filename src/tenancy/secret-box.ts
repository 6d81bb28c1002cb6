import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';

/**
 * Encryption at rest for secrets Baimo must give back (upstream provider credentials), unlike
 * API keys and passwords, which are only ever compared and so are hashed. AES-256-GCM: a fresh
 * random 12-byte IV per message (GCM's standard nonce size; never reused under one key because
 * it is random, 2^-96 collision odds per pair) and a 16-byte tag that makes tampering an error
 * rather than garbage. `aad` binds a ciphertext to its row (e.g. the provider name), so copying
 * one row's ciphertext onto another fails to decrypt.
 */

export interface Sealed {
  /** base64 */
  ciphertext: string;
  /** base64, 12 bytes */
  iv: string;
  /** base64, 16 bytes */
  tag: string;
}

export interface SecretBox {
  seal(plaintext: string, aad?: string): Sealed;
  open(sealed: Sealed, aad?: string): string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const HKDF_INFO = 'baimo secret box v1';

export function createSecretBox(key: Buffer, randomBytes: (n: number) => Buffer): SecretBox {
  if (key.length !== 32) throw new Error(`The secret box key must be 32 bytes, got ${key.length}.`);
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
    },
    open(sealed, aad) {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
      if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch (err) {
        throw new Error('Could not decrypt a stored secret: wrong BAIMO_SECRET_KEY, or the row was altered.', { cause: err });
      }
    },
  };
}

/**
 * The 32-byte server secret: `BAIMO_SECRET_KEY` (64 hex chars or base64 of 32 bytes) when set,
 * else derived from the master key with HKDF-SHA256. Derivation keeps a one-variable install
 * working, but ties every stored secret and every API key hash to the master key: changing the
 * master key without setting BAIMO_SECRET_KEY first makes them unreadable (docs/tenancy.md).
 */
export function deriveSecretKey(env: Record<string, string | undefined>, masterKey: string): Buffer {
  const configured = env.BAIMO_SECRET_KEY?.trim();
  if (configured) {
    const key = /^[0-9a-fA-F]{64}$/.test(configured) ? Buffer.from(configured, 'hex') : decodeBase64(configured);
    if (key?.length !== 32) {
      throw new Error('BAIMO_SECRET_KEY must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -base64 32`).');
    }
    return key;
  }
  if (!masterKey) throw new Error('Cannot derive the secret key: no master key and no BAIMO_SECRET_KEY.');
  return Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), Buffer.alloc(0), HKDF_INFO, 32));
}

function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
