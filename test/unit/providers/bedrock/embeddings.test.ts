import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isEstimated } from '../../../../src/providers/estimated-usage.js';
import type { EmbeddingsRequest } from '../../../../src/protocol/chat.js';
import { bedrockEmbeddingMaxInputs, createBedrockAdapter, parseBedrockEmbeddings } from '../../../../src/providers/bedrock/index.js';
import { embeddingBatchLimit } from '../../../../src/providers/index.js';
import { errorJson, fixedContext, outcome, testTarget } from '../anthropic/fixture-suite.js';
import { sigv4Provider } from './sigv4-provider.js';

/**
 * Bedrock InvokeModel embeddings (CATALOG.md §5) beyond the fixture cases: family selection by
 * model id, refusals, SigV4 on the invoke call, and parsing without a request.
 */
const NOW_MS = Date.UTC(2026, 10, 26, 1, 2, 3);
const TITAN = 'amazon.titan-embed-text-v2:0';
const codec = createBedrockAdapter({ now: () => NOW_MS }).embeddings!;
const request = (input: EmbeddingsRequest['input'], fields: Partial<EmbeddingsRequest> = {}): EmbeddingsRequest => ({ model: 'embed', input, extra: {}, ...fields });
const body = (req: EmbeddingsRequest, model: string) => JSON.parse(codec.build(req, testTarget(model, 'https://bedrock-runtime.us-east-1.amazonaws.com')).body!);

function refusal(req: EmbeddingsRequest, model: string): Record<string, unknown> {
  try {
    body(req, model);
  } catch (error) {
    return errorJson(error);
  }
  throw new Error('expected the request to be refused');
}

describe('bedrock embeddings request building', () => {
  it('picks the body by model family, also behind inference-profile prefixes', () => {
    expect(body(request('hi'), TITAN)).toEqual({ inputText: 'hi', normalize: true });
    expect(body(request('hi'), `us.${TITAN}`)).toEqual({ inputText: 'hi', normalize: true });
    expect(body(request('hi'), 'amazon.titan-embed-text-v1')).toEqual({ inputText: 'hi' });
    for (const model of ['cohere.embed-english-v3', 'eu.cohere.embed-multilingual-v3', 'global.cohere.embed-v4:0']) {
      expect(body(request(['a', 'b']), model), model).toEqual({ texts: ['a', 'b'], input_type: 'search_document', embedding_types: ['float'] });
    }
  });

  it('sends the invoke URL with the model id as one encoded segment', () => {
    const spec = codec.build(request('hi'), testTarget(`us.${TITAN}`, 'https://bedrock-runtime.us-east-1.amazonaws.com/'));
    expect(spec.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.titan-embed-text-v2%3A0/invoke');
    expect(spec.method).toBe('POST');
  });

  it('refuses a model id of another family with a 400 naming the supported ones', () => {
    for (const model of ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'amazon.nova-pro-v1:0', 'cohere.command-r-v1:0']) {
      const error = refusal(request('hi'), model);
      expect(error, model).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'model' });
      expect(error.message).toMatch(/Titan.*Cohere Embed/);
    }
    expect(bedrockEmbeddingMaxInputs('amazon.nova-pro-v1:0')).toBeUndefined();
  });

  it('refuses dimensions a model does not offer, and token-id input', () => {
    expect(refusal(request('hi', { dimensions: 300 }), TITAN)).toMatchObject({ status: 400, param: 'dimensions' });
    expect(refusal(request('hi', { dimensions: 256 }), 'amazon.titan-embed-text-v1')).toMatchObject({ status: 400, param: 'dimensions' });
    expect(refusal(request(['a'], { dimensions: 512 }), 'cohere.embed-english-v3')).toMatchObject({ status: 400, param: 'dimensions' });
    expect(body(request('hi', { dimensions: 1024 }), TITAN)).toEqual({ inputText: 'hi', dimensions: 1024, normalize: true });
    expect(refusal(request([[1, 2, 3]]), 'cohere.embed-english-v3')).toMatchObject({ status: 400, param: 'input[0]' });
  });

  it('Titan takes one text per call: maxInputs says so, and a longer list given to build is refused', () => {
    expect(codec.maxInputs!(testTarget(TITAN))).toBe(1);
    expect(codec.maxInputs!(testTarget('cohere.embed-v4:0'))).toBe(96);
    expect(refusal(request(['a', 'b']), TITAN)).toMatchObject({ status: 400, param: 'input' });
  });

  it('knowledge ingestion batches by the same per-model limit', () => {
    expect(embeddingBatchLimit('bedrock', `us.${TITAN}`)).toBe(1);
    expect(embeddingBatchLimit('bedrock', 'cohere.embed-english-v3')).toBe(96);
    expect(embeddingBatchLimit('bedrock', 'amazon.nova-pro-v1:0')).toBeUndefined();
    expect(embeddingBatchLimit('bedrock')).toBeUndefined();
  });

  it('a SigV4 provider gets the sign hook and no bearer; the signature covers the invoke path and body', async () => {
    const spec = codec.build(request('hi', { dimensions: 512 }), { provider: sigv4Provider(), upstreamModel: TITAN });
    expect(spec.sign).toBeTypeOf('function');
    expect(spec.headers.authorization).toBeUndefined();
    const signed = await spec.sign!(spec);
    expect(signed.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261126\/us-east-1\/bedrock\/aws4_request, /);
    expect(signed['x-amz-content-sha256']).toBe(createHash('sha256').update(spec.body!).digest('hex'));
    const other = codec.build(request('hi', { dimensions: 256 }), { provider: sigv4Provider(), upstreamModel: TITAN });
    expect((await other.sign!(other)).authorization).not.toBe(signed.authorization);
    // A Bedrock API key provider gets a bearer and no hook.
    expect(codec.build(request('hi'), testTarget(TITAN)).sign).toBeUndefined();
  });
});

describe('bedrock embeddings response parsing', () => {
  it('reads Titan usage from inputTextTokenCount, with or without the request', () => {
    const titan = { embedding: [0.1, 0.2], inputTextTokenCount: 3 };
    expect(parseBedrockEmbeddings(titan, fixedContext())).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
      model: '',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it('estimates Cohere usage (⌈characters / 4⌉) from the request; both embeddings shapes parse', () => {
    const req = request(['abcde', 'fghij']);
    const byType = parseBedrockEmbeddings({ id: 'x', embeddings: { float: [[1], [2]] }, response_type: 'embeddings_by_type' }, fixedContext(), req);
    const floats = parseBedrockEmbeddings({ id: 'x', embeddings: [[1], [2]], response_type: 'embeddings_floats' }, fixedContext(), req);
    expect(byType).toEqual(floats);
    expect(byType.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(isEstimated(byType.usage)).toBe(true);
    const titan = parseBedrockEmbeddings({ embedding: [1], inputTextTokenCount: 4 }, fixedContext(), request(['abcde']));
    expect(titan.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(isEstimated(titan.usage)).toBe(false);
    expect(byType.data.map((d) => d.embedding)).toEqual([[1], [2]]);
  });

  it('calls a wrong vector count or an unknown shape malformed (502, retryable)', () => {
    expect(outcome(() => parseBedrockEmbeddings({ embeddings: [[1]] }, fixedContext(), request(['a', 'b'])))).toMatchObject({
      error: { status: 502, code: 'upstream_malformed_response', retryable: true },
    });
    expect(outcome(() => parseBedrockEmbeddings({ embeddings: { int8: [[1]] } }, fixedContext()))).toMatchObject({ error: { status: 502 } });
    expect(outcome(() => parseBedrockEmbeddings({ vectors: [] }, fixedContext()))).toMatchObject({ error: { status: 502 } });
  });
});
