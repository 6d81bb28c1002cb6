import { describe, expect, it } from 'vitest';
import { isSecretName, REDACTED, redactBody, serializeBody } from '../../../src/metering/index.js';

describe('redactBody', () => {
  it('redacts values of secret-named fields at any depth, keeping token counts', () => {
    const body = {
      model: 'qwen3-8b',
      api_key: 'abc',
      apiKey: 'abc',
      'x-api-key': 'abc',
      headers: { Authorization: 'Basic Zm9vOmJhcg==', Cookie: 'sid=1' },
      credentials: { client_secret: 's', password: 'p', user: 'bob' },
      access_token: 'tok',
      max_tokens: 100,
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      key_id: 'key_123',
      private_keys: ['k1', 'k2'],
    };
    expect(redactBody(body)).toEqual({
      model: 'qwen3-8b',
      api_key: REDACTED,
      apiKey: REDACTED,
      'x-api-key': REDACTED,
      headers: { Authorization: REDACTED, Cookie: REDACTED },
      credentials: { client_secret: REDACTED, password: REDACTED, user: 'bob' },
      access_token: REDACTED,
      max_tokens: 100,
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      key_id: 'key_123',
      private_keys: [REDACTED, REDACTED],
    });
  });

  it('redacts key-shaped strings anywhere, message content included', () => {
    const body = {
      messages: [
        { role: 'user', content: 'my key is sk-bm-AbCdEf0123456789xyz, use it' },
        { role: 'user', content: [{ type: 'text', text: 'curl -H "Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl"' }] },
        { role: 'user', content: 'aws AKIAIOSFODNN7EXAMPLE google AIzaSyA-1234567890abcdefghijklmnopqrstu' },
      ],
    };
    const out = JSON.stringify(redactBody(body));
    expect(out).not.toMatch(/sk-bm-AbCd|eyJhbGciOi|AKIAIOSFODNN7EXAMPLE|AIzaSyA/);
    expect(out).toContain('my key is sk-[REDACTED], use it');
    expect(out).toContain('Bearer [REDACTED]');
  });

  it('keeps a JSON-schema property named like a secret (objects are walked, not dropped)', () => {
    const tool = { parameters: { properties: { key: { type: 'string', description: 'lookup key' } } } };
    expect(redactBody(tool)).toEqual(tool);
  });

  it('recognises secret field names and leaves ordinary ones', () => {
    for (const name of ['api_key', 'apiKey', 'X-Api-Key', 'secret', 'clientSecret', 'password', 'authorization', 'refresh_token', 'session_id']) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['model', 'max_tokens', 'prompt_tokens', 'key_id', 'keys_count', 'tokenizer', 'messages']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});

describe('serializeBody', () => {
  it('caps bodies at a byte size without splitting a character, and says so', () => {
    const text = serializeBody({ content: '你好'.repeat(100) }, 50);
    expect(Buffer.byteLength(text.split('…[truncated')[0]!, 'utf8')).toBeLessThanOrEqual(50);
    expect(text).not.toContain('\uFFFD');
    expect(text).toMatch(/…\[truncated: \d+ bytes\]$/);
    expect(serializeBody({ a: 1 }, 50)).toBe('{"a":1}');
  });

  it('redacts a raw string body', () => {
    expect(serializeBody('token sk-abcdefghijklmnop', 100)).toBe('token sk-[REDACTED]');
  });
});
