import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RerankRequest } from '../../../../src/protocol/chat.js';
import { agentRuntimeOrigin, createBedrockAdapter, parseBedrockRerank } from '../../../../src/providers/bedrock/index.js';
import { isEstimated } from '../../../../src/providers/estimated-usage.js';
import { errorJson, fixedContext, outcome, testTarget } from '../anthropic/fixture-suite.js';
import { sigv4Provider } from './sigv4-provider.js';

/**
 * Bedrock Agent Runtime Rerank (CATALOG.md §5) beyond the fixture cases: the model ARN, the
 * agent-runtime host, SigV4 on it, result mapping and the usage estimate, and refusals.
 */
const NOW_MS = Date.UTC(2026, 10, 26, 1, 2, 3);
const COHERE = 'cohere.rerank-v3-5:0';
const AMAZON = 'amazon.rerank-v1:0';
const codec = createBedrockAdapter({ now: () => NOW_MS }).rerank!;
const request = (fields: Partial<RerankRequest> = {}): RerankRequest => ({ model: 'rr', query: 'capital of France', documents: ['Paris', { text: 'Berlin' }, 'Rome'], extra: {}, ...fields });
const config = (spec: { body?: string }) => JSON.parse(spec.body!).rerankingConfiguration.bedrockRerankingConfiguration;

describe('bedrock rerank request building', () => {
  it('names the model by a foundation-model ARN in the provider region; an ARN deployment is sent as is', () => {
    const spec = codec.build(request(), { provider: sigv4Provider({ region: 'eu-central-1', base_url: 'https://bedrock-runtime.eu-central-1.amazonaws.com' }), upstreamModel: COHERE });
    expect(config(spec).modelConfiguration).toEqual({ modelArn: 'arn:aws:bedrock:eu-central-1::foundation-model/cohere.rerank-v3-5:0' });
    const arn = 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0';
    expect(config(codec.build(request(), { provider: sigv4Provider(), upstreamModel: arn })).modelConfiguration.modelArn).toBe(arn);
    // Other partitions: China and GovCloud regions.
    expect(config(codec.build(request(), { provider: sigv4Provider({ region: 'cn-north-1' }), upstreamModel: AMAZON })).modelConfiguration.modelArn).toBe(
      'arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.rerank-v1:0',
    );
  });

  it('sends one TEXT query and every document as an INLINE TEXT source; numberOfResults is top_n, else every document', () => {
    const body = JSON.parse(codec.build(request({ top_n: 1 }), { provider: sigv4Provider(), upstreamModel: COHERE }).body!);
    expect(body.queries).toEqual([{ type: 'TEXT', textQuery: { text: 'capital of France' } }]);
    expect(body.sources.map((s: any) => [s.type, s.inlineDocumentSource.type, s.inlineDocumentSource.textDocument.text])).toEqual([
      ['INLINE', 'TEXT', 'Paris'],
      ['INLINE', 'TEXT', 'Berlin'],
      ['INLINE', 'TEXT', 'Rome'],
    ]);
    expect(body.rerankingConfiguration.type).toBe('BEDROCK_RERANKING_MODEL');
    expect(config({ body: JSON.stringify(body) }).numberOfResults).toBe(1);
    expect(config(codec.build(request(), { provider: sigv4Provider(), upstreamModel: COHERE })).numberOfResults).toBe(3);
    // return_documents is Baimo's to honour: nothing about it is sent.
    expect(codec.build(request({ return_documents: true }), { provider: sigv4Provider(), upstreamModel: COHERE }).body).toBe(
      codec.build(request(), { provider: sigv4Provider(), upstreamModel: COHERE }).body,
    );
  });

  it('posts to the agent runtime: the standard runtime host is swapped, any other base_url kept, agent_runtime_url wins', () => {
    const url = (over: Parameters<typeof sigv4Provider>[0]) => codec.build(request(), { provider: sigv4Provider(over), upstreamModel: COHERE }).url;
    expect(url({})).toBe('https://bedrock-agent-runtime.us-east-1.amazonaws.com/rerank');
    expect(url({ base_url: 'https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com', region: 'us-gov-west-1' })).toBe(
      'https://bedrock-agent-runtime-fips.us-gov-west-1.amazonaws.com/rerank',
    );
    expect(url({ base_url: 'https://bedrock-runtime.cn-north-1.amazonaws.com.cn' })).toBe('https://bedrock-agent-runtime.cn-north-1.amazonaws.com.cn/rerank');
    expect(url({ base_url: 'http://127.0.0.1:9000/bedrock' })).toBe('http://127.0.0.1:9000/bedrock/rerank');
    expect(url({ base_url: 'https://vpce-0a1b.bedrock-runtime.us-east-1.vpce.amazonaws.com' })).toBe('https://vpce-0a1b.bedrock-runtime.us-east-1.vpce.amazonaws.com/rerank');
    expect(url({ agent_runtime_url: 'https://vpce-9z8y.bedrock-agent-runtime.us-east-1.vpce.amazonaws.com/' })).toBe(
      'https://vpce-9z8y.bedrock-agent-runtime.us-east-1.vpce.amazonaws.com/rerank',
    );
    expect(agentRuntimeOrigin(sigv4Provider({ base_url: 'https://bedrock-runtime.ap-south-1.amazonaws.com/' }))).toBe('https://bedrock-agent-runtime.ap-south-1.amazonaws.com');
  });

  it('a SigV4 provider gets the sign hook for service bedrock in its region, over the agent-runtime host and body', async () => {
    const spec = codec.build(request(), { provider: sigv4Provider({ region: 'us-west-2', base_url: 'https://bedrock-runtime.us-west-2.amazonaws.com' }), upstreamModel: COHERE });
    expect(spec.headers.authorization).toBeUndefined();
    expect(spec.sign).toBeTypeOf('function');
    const signed = await spec.sign!(spec);
    expect(signed.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261126\/us-west-2\/bedrock\/aws4_request, SignedHeaders=[^,]*host/);
    expect(signed['x-amz-content-sha256']).toBe(createHash('sha256').update(spec.body!).digest('hex'));
    // The host is signed: the same request aimed at the runtime host signs differently.
    const runtime = { ...spec, url: 'https://bedrock-runtime.us-west-2.amazonaws.com/rerank' };
    expect((await spec.sign!(runtime)).authorization).not.toBe(signed.authorization);
  });

  it('a Bedrock API key provider gets a bearer and no hook', () => {
    const spec = codec.build(request(), testTarget(COHERE, 'https://bedrock-runtime.us-east-1.amazonaws.com'));
    expect(spec.sign).toBeUndefined();
    expect(spec.headers.authorization).toBe('Bearer test-key');
    expect(spec.url).toBe('https://bedrock-agent-runtime.us-east-1.amazonaws.com/rerank');
  });

  it('refuses any other model with a 400 naming the supported ones; a key provider with no region needs an ARN', () => {
    for (const model of ['cohere.rerank-v3', 'cohere.embed-english-v3', 'us.cohere.rerank-v3-5:0', 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0']) {
      let error: Record<string, unknown> | undefined;
      try {
        codec.build(request(), { provider: sigv4Provider(), upstreamModel: model });
      } catch (thrown) {
        error = errorJson(thrown);
      }
      expect(error, model).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'model' });
      expect(error!.message).toContain('cohere.rerank-v3-5:0 and amazon.rerank-v1:0');
    }
    expect(() => codec.build(request(), testTarget(COHERE, 'http://127.0.0.1:9000'))).toThrow(/no region.*ARN/);
    expect(codec.build(request(), testTarget(`arn:aws:bedrock:us-east-1::foundation-model/${COHERE}`, 'http://127.0.0.1:9000')).url).toBe('http://127.0.0.1:9000/rerank');
  });
});

describe('bedrock rerank response parsing', () => {
  const echoed = (i: number, text: string) => ({ index: i, relevanceScore: 1 - i / 10, document: { type: 'TEXT', textDocument: { text } } });

  it('keeps Bedrock’s order; documents only when asked, from the echo or else the request', () => {
    const answer = { results: [echoed(2, 'Rome'), echoed(0, 'Paris')] };
    expect(parseBedrockRerank(answer, fixedContext(), request()).results).toEqual([
      { index: 2, relevance_score: 0.8 },
      { index: 0, relevance_score: 1 },
    ]);
    expect(parseBedrockRerank(answer, fixedContext(), request({ return_documents: true })).results).toEqual([
      { index: 2, relevance_score: 0.8, document: { text: 'Rome' } },
      { index: 0, relevance_score: 1, document: { text: 'Paris' } },
    ]);
    const bare = { results: [{ index: 1, relevanceScore: 0.5 }] };
    expect(parseBedrockRerank(bare, fixedContext(), request({ return_documents: true })).results).toEqual([{ index: 1, relevance_score: 0.5, document: { text: 'Berlin' } }]);
    const res = parseBedrockRerank(answer, fixedContext(), request());
    expect(res).toMatchObject({ id: 'rerank_1', model: 'rr' });
  });

  it('estimates usage over every (query + document) pair and marks it estimated', () => {
    const res = parseBedrockRerank({ results: [] }, fixedContext(), request());
    // ⌈((17 + 5) + (17 + 6) + (17 + 4)) / 4⌉
    expect(res.usage).toEqual({ total_tokens: 17, prompt_tokens: 17 });
    expect(isEstimated(res.usage)).toBe(true);
    const blind = parseBedrockRerank({ results: [echoed(0, 'Paris')] }, fixedContext());
    expect(blind.results).toEqual([{ index: 0, relevance_score: 1, document: { text: 'Paris' } }]);
    expect(isEstimated(blind.usage)).toBe(true);
  });

  it('calls an index past the documents, or a body without results, malformed (502, retryable)', () => {
    expect(outcome(() => parseBedrockRerank({ results: [echoed(3, 'x')] }, fixedContext(), request()))).toMatchObject({
      error: { status: 502, code: 'upstream_malformed_response', retryable: true },
    });
    expect(outcome(() => parseBedrockRerank({ message: 'x' }, fixedContext(), request()))).toMatchObject({ error: { status: 502 } });
  });
});
