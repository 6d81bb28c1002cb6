import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockVector } from './mock-upstream/bedrock-invoke.js';
import type { MockBedrock } from './mock-upstream/bedrock.js';
import { startBedrockGateway } from './mock-upstream/bedrock-gateway.js';
import type { TestGateway } from '../support/gateway.js';

/**
 * AWS Bedrock embeddings end to end (CATALOG.md §5): the official openai SDK calls
 * `/v1/embeddings`, Baimo sends InvokeModel with the model's own body — Titan one text per call,
 * Cohere a list — to the mock Bedrock, which verifies every SigV4 signature and answers with
 * vectors derived from each text (mockVector), so order and routing are checkable.
 */
const TITAN = 'amazon.titan-embed-text-v2:0';
const TITAN_PATH = `/model/${encodeURIComponent(TITAN)}/invoke`;
const COHERE = 'cohere.embed-english-v3';
const texts = ['Paris is in France', '百模 gateway', 'one two three four'];
const words = (t: string) => t.split(/\s+/).length;

describe('bedrock embeddings through the OpenAI surface', () => {
  let bedrock: MockBedrock;
  let gw: TestGateway;

  beforeAll(async () => {
    ({ bedrock, gw } = await startBedrockGateway(
      () => `models:
  - name: titan-embed
    capabilities: [embeddings]
    deployments: [{ provider: aws-sigv4, model: "${TITAN}" }]
  - name: cohere-embed
    capabilities: [embeddings]
    deployments: [{ provider: aws-sigv4, model: "${COHERE}" }]
  - name: titan-failover
    capabilities: [embeddings]
    deployments:
      - { provider: aws-sigv4, model: "us.${TITAN}", priority: 0 }
      - { provider: aws-key, model: "${TITAN}", priority: 1 }
  - name: nova-as-embed
    capabilities: [embeddings]
    deployments: [{ provider: aws-key, model: amazon.nova-pro-v1:0 }]
routing: { retries: 1, backoff_base_ms: 1, backoff_max_ms: 5 }
`,
    ));
  });
  afterAll(async () => {
    await gw?.close();
    await bedrock?.close();
  });

  it('Titan with 3 inputs: 3 signed InvokeModel calls, 3 vectors in input order, usage summed', async () => {
    const before = bedrock.requests.length;
    // The SDK asks for base64 by default and decodes it back to floats.
    const res = await gw.client.embeddings.create({ model: 'titan-embed', input: texts });
    const sent = bedrock.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual([TITAN_PATH, TITAN_PATH, TITAN_PATH]);
    expect(sent.map((r) => r.auth)).toEqual(['sigv4', 'sigv4', 'sigv4']);
    expect(sent.map((r) => r.body)).toEqual(texts.map((inputText) => ({ inputText, normalize: true })));
    expect(res.model).toBe('titan-embed');
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(res.data.map((d) => Array.from(d.embedding))).toEqual(texts.map((t) => mockVector(t)));
    const tokens = texts.reduce((sum, t) => sum + words(t), 0);
    expect(res.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('Titan dimensions are sent and shape the vectors', async () => {
    const res = await gw.client.embeddings.create({ model: 'titan-embed', input: 'hello there', dimensions: 256, encoding_format: 'float' });
    expect(bedrock.requests.at(-1)!.body).toEqual({ inputText: 'hello there', dimensions: 256, normalize: true });
    expect(res.data).toHaveLength(1);
    expect(res.data[0]!.embedding).toEqual(mockVector('hello there', 256));
    expect(res.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });

  it('encoding_format base64 returns little-endian float32 bytes of the same vectors', async () => {
    const res = await gw.client.embeddings.create({ model: 'titan-embed', input: texts.slice(0, 2), encoding_format: 'base64' });
    expect(res.data).toHaveLength(2);
    res.data.forEach((d, i) => {
      expect(typeof d.embedding).toBe('string');
      const bytes = Buffer.from(d.embedding as unknown as string, 'base64');
      expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).toEqual(mockVector(texts[i]!));
    });
  });

  it('Cohere with 2 inputs: one signed call with texts, input_type passed through, usage estimated', async () => {
    const before = bedrock.requests.length;
    const input = ['What is the capital of France?', 'Paris'];
    const res = await gw.client.embeddings.create({ model: 'cohere-embed', input, encoding_format: 'float', input_type: 'search_query' } as never);
    const sent = bedrock.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe(`/model/${COHERE}/invoke`);
    expect(sent[0]!.auth).toBe('sigv4');
    expect(sent[0]!.body).toEqual({ texts: input, input_type: 'search_query', embedding_types: ['float'] });
    expect(res.data.map((d) => d.embedding)).toEqual(input.map((t) => mockVector(t)));
    // Cohere on Bedrock reports no usage: ⌈(30 + 5) / 4⌉.
    expect(res.usage).toEqual({ prompt_tokens: 9, total_tokens: 9 });

    await gw.client.embeddings.create({ model: 'cohere-embed', input: ['doc'] });
    expect(bedrock.requests.at(-1)!.body.input_type).toBe('search_document');
  });

  it("meters Cohere's estimated usage as estimated, and Titan's reported usage as reported", async () => {
    await gw.client.embeddings.create({ model: 'cohere-embed', input: ['metered'] });
    await gw.client.embeddings.create({ model: 'titan-embed', input: ['metered'] });
    await gw.server.flushUsage();
    const res = await fetch(`${gw.url}/admin/v1/usage?group_by=model`, { headers: { authorization: `Bearer ${gw.server.masterKey}` } });
    const rows = ((await res.json()) as { data: { model: string; requests: number; estimated_requests: number }[] }).data;
    const cohere = rows.find((r) => r.model === 'cohere-embed')!;
    const titan = rows.find((r) => r.model === 'titan-embed')!;
    expect(cohere.estimated_requests).toBe(cohere.requests);
    expect(cohere.requests).toBeGreaterThan(0);
    expect(titan.estimated_requests).toBe(0);
    expect(titan.requests).toBeGreaterThan(0);
  });

  it('a chunk that fails fails the attempt: the whole request fails over and is re-sent elsewhere', async () => {
    const firstPath = `/model/${encodeURIComponent(`us.${TITAN}`)}/invoke`;
    bedrock.enqueue(
      firstPath,
      { kind: 'invoke', body: { embedding: mockVector('x'), inputTextTokenCount: 1 } },
      { kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
    );
    const before = bedrock.requests.length;
    const res = await gw.client.embeddings.create({ model: 'titan-failover', input: texts });
    const sent = bedrock.requests.slice(before);
    // The three chunks go out together (up to four at once); the second one's 429 fails the attempt.
    expect(sent.map((r) => [r.path, r.auth])).toEqual([
      [firstPath, 'sigv4'],
      [firstPath, 'sigv4'],
      [firstPath, 'sigv4'],
      [TITAN_PATH, 'bearer'],
      [TITAN_PATH, 'bearer'],
      [TITAN_PATH, 'bearer'],
    ]);
    expect(res.data.map((d) => Array.from(d.embedding))).toEqual(texts.map((t) => mockVector(t)));
  });

  it('a Bedrock model of another family is refused with a 400 naming the supported ones, before any call', async () => {
    const before = bedrock.requests.length;
    const res = await gw.post('/v1/embeddings', { model: 'nova-as-embed', input: 'hello' });
    expect(res.status).toBe(400);
    const error = ((await res.json()) as any).error;
    expect(error).toMatchObject({ type: 'invalid_request_error', param: 'model' });
    expect(error.message).toMatch(/Titan.*Cohere Embed/);
    expect(bedrock.requests.length).toBe(before);
  });

  it('an upstream ValidationException is the caller’s 400', async () => {
    bedrock.enqueue(TITAN_PATH, { kind: 'error', status: 400, type: 'ValidationException', message: 'Malformed input request: expected maxLength: 50000' });
    const res = await gw.post('/v1/embeddings', { model: 'titan-embed', input: 'too long' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ type: 'invalid_request_error', message: 'Malformed input request: expected maxLength: 50000' });
  });
});
