import hashNode from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../../src/config/types.js';
import { createBedrockAdapter } from '../../../../src/providers/bedrock/index.js';
import type { HttpRequestSpec } from '../../../../src/providers/adapter.js';
import { chatRequest } from '../anthropic/fixture-suite.js';
import { sigv4Provider } from './sigv4-provider.js';

const NOW_MS = Date.UTC(2026, 10, 26, 1, 2, 3);
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const provider = sigv4Provider;

const request = chatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });

function build(p: ProviderConfig, stream = false): HttpRequestSpec {
  return createBedrockAdapter({ now: () => NOW_MS }).chat.build(request, { provider: p, upstreamModel: MODEL }, { stream });
}

/** What AWS's signer computes on its own for the same request, to compare against. */
async function reference(spec: HttpRequestSpec, p: ProviderConfig) {
  const signer = new SignatureV4({
    service: 'bedrock',
    region: p.region!,
    credentials: {
      accessKeyId: p.aws_credentials!.access_key_id,
      secretAccessKey: p.aws_credentials!.secret_access_key,
      ...(p.aws_credentials!.session_token ? { sessionToken: p.aws_credentials!.session_token } : {}),
    },
    sha256: hashNode.Hash.bind(null, 'sha256'),
  });
  const url = new URL(spec.url);
  const signed = await signer.sign(
    { method: 'POST', protocol: url.protocol, hostname: url.hostname, path: url.pathname, query: {}, headers: { ...spec.headers, host: url.host }, body: spec.body },
    { signingDate: new Date(NOW_MS) },
  );
  return signed.headers;
}

describe('bedrock SigV4 signing', () => {
  it('signs at send time: the built spec carries no signature, only a sign hook', () => {
    const spec = build(provider());
    expect(spec.sign).toBeTypeOf('function');
    expect(Object.keys(spec.headers).filter((h) => h === 'authorization' || h.startsWith('x-amz-'))).toEqual([]);
  });

  it('is deterministic for a fixed clock and equals what @smithy/signature-v4 computes', async () => {
    const p = provider();
    const spec = build(p);
    const first = await spec.sign!(spec);
    const second = await build(p).sign!(spec);
    expect(first).toEqual(second);
    expect(first['x-amz-date']).toBe('20261126T010203Z');
    expect(first.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261126\/us-east-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    const expected = await reference(spec, p);
    expect(first.authorization).toBe(expected.authorization);
    expect(first['x-amz-content-sha256']).toBe(expected['x-amz-content-sha256']);
  });

  it('signs the exact body bytes and path: another body or model gives another signature', async () => {
    const p = provider();
    const spec = build(p);
    const base = (await spec.sign!(spec)).authorization;
    const otherBody = { ...spec, body: spec.body!.replace('Hi', 'Ho') };
    expect((await spec.sign!(otherBody)).authorization).not.toBe(base);
    const stream = build(p, true);
    expect((await stream.sign!(stream)).authorization).not.toBe(base);
  });

  it('adds x-amz-security-token for temporary credentials and signs it', async () => {
    const p = provider({ aws_credentials: { access_key_id: 'ASIAEXAMPLE', secret_access_key: 'secret', session_token: 'FwoGZXIvYXdzEBYaDSessionToken' } });
    const spec = build(p);
    const headers = await spec.sign!(spec);
    expect(headers['x-amz-security-token']).toBe('FwoGZXIvYXdzEBYaDSessionToken');
    expect(headers.authorization).toContain('x-amz-security-token');
    expect(headers.authorization).toBe((await reference(spec, p)).authorization);
  });

  it('signs the host with its port and the region of the provider', async () => {
    const p = provider({ base_url: 'http://127.0.0.1:4566', region: 'eu-west-3' });
    const spec = build(p);
    const headers = await spec.sign!(spec);
    expect(headers.authorization).toContain('/eu-west-3/bedrock/aws4_request');
    expect(headers.authorization).toBe((await reference(spec, p)).authorization);
  });

  it('Bearer mode (a Bedrock API key) sends the key and no SigV4 headers', () => {
    const spec = build(provider({ aws_credentials: undefined, region: undefined, api_key: 'ABSKQmVkcm9ja0FQSUtleQ==' }));
    expect(spec.sign).toBeUndefined();
    expect(spec.headers.authorization).toBe('Bearer ABSKQmVkcm9ja0FQSUtleQ==');
    expect(Object.keys(spec.headers).some((h) => h.startsWith('x-amz-'))).toBe(false);
  });

  it('a SigV4 provider never sends a bearer key, even when one is configured too', () => {
    const spec = build(provider({ api_key: 'ignored' }));
    expect(spec.headers.authorization).toBeUndefined();
  });
});
