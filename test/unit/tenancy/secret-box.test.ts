import { hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, deriveSecretKey } from '../../../src/tenancy/index.js';

const KEY = Buffer.alloc(32, 1);

describe('secret box (AES-256-GCM)', () => {
  it('round-trips, with a fresh 12-byte IV and a 16-byte tag per message', () => {
    const box = createSecretBox(KEY, randomBytes);
    const a = box.seal('sk-upstream-secret');
    const b = box.seal('sk-upstream-secret');
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(a.tag, 'base64')).toHaveLength(16);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext, 'base64').toString('utf8')).not.toContain('secret');
    expect(box.open(a)).toBe('sk-upstream-secret');
    expect(box.open(box.seal('密钥 ✓'))).toBe('密钥 ✓');
  });

  it('takes its IV from the injected random source', () => {
    const iv = Buffer.alloc(12, 5);
    const sealed = createSecretBox(KEY, () => iv).seal('x');
    expect(sealed.iv).toBe(iv.toString('base64'));
  });

  it('refuses a tampered ciphertext or tag, a wrong key, and a different AAD', () => {
    const box = createSecretBox(KEY, randomBytes);
    const sealed = box.seal('secret', 'provider_credentials:a');
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0]! ^= 1;
    expect(() => box.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'provider_credentials:a')).toThrow(/Could not decrypt/);
    expect(() => box.open({ ...sealed, tag: Buffer.alloc(16).toString('base64') }, 'provider_credentials:a')).toThrow(/Could not decrypt/);
    expect(() => createSecretBox(Buffer.alloc(32, 2), randomBytes).open(sealed, 'provider_credentials:a')).toThrow(/Could not decrypt/);
    expect(() => box.open(sealed, 'provider_credentials:b')).toThrow(/Could not decrypt/);
    expect(box.open(sealed, 'provider_credentials:a')).toBe('secret');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSecretBox(Buffer.alloc(16), randomBytes)).toThrow(/32 bytes/);
  });
});

describe('deriveSecretKey', () => {
  it('reads BAIMO_SECRET_KEY as 64 hex characters or base64 of 32 bytes', () => {
    const raw = randomBytes(32);
    expect(deriveSecretKey({ BAIMO_SECRET_KEY: raw.toString('hex') }, 'master')).toEqual(raw);
    expect(deriveSecretKey({ BAIMO_SECRET_KEY: raw.toString('base64') }, 'master')).toEqual(raw);
    expect(deriveSecretKey({ BAIMO_SECRET_KEY: ` ${raw.toString('base64url')} ` }, 'master')).toEqual(raw);
  });

  it('refuses a BAIMO_SECRET_KEY of the wrong size or encoding, naming the variable', () => {
    expect(() => deriveSecretKey({ BAIMO_SECRET_KEY: randomBytes(16).toString('hex') }, 'm')).toThrow(/BAIMO_SECRET_KEY/);
    expect(() => deriveSecretKey({ BAIMO_SECRET_KEY: 'not base64 at all!' }, 'm')).toThrow(/BAIMO_SECRET_KEY/);
  });

  it('derives from the master key with HKDF-SHA256, info "baimo secret box v1", when unset', () => {
    const derived = deriveSecretKey({}, 'sk-bm-master-abc');
    expect(derived).toHaveLength(32);
    expect(derived).toEqual(Buffer.from(hkdfSync('sha256', 'sk-bm-master-abc', Buffer.alloc(0), 'baimo secret box v1', 32)));
    expect(deriveSecretKey({}, 'sk-bm-master-abc')).toEqual(derived);
    expect(deriveSecretKey({}, 'sk-bm-master-abd')).not.toEqual(derived);
    expect(deriveSecretKey({ BAIMO_SECRET_KEY: '' }, 'sk-bm-master-abc')).toEqual(derived);
  });
});
