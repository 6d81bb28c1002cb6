import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRelevance } from './mock-upstream/bedrock-rerank.js';
import type { MockBedrock } from './mock-upstream/bedrock.js';
import { startBedrockGateway } from './mock-upstream/bedrock-gateway.js';
import type { TestGateway } from '../support/gateway.js';

/**
 * AWS Bedrock rerank end to end (CATALOG.md §5): `/v1/rerank` in the Jina/Cohere shape (raw
 * HTTP: the openai SDK has no rerank), Baimo sends the Agent Runtime's `POST /rerank` to the mock
 * Bedrock — here on the providers' own base_url, as a proxy serves it — which verifies every SigV4
 * signature and checks the body as AWS does, ranking by word overlap (mockRelevance).
 */
const COHERE = 'cohere.rerank-v3-5:0';
const AMAZON = 'amazon.rerank-v1:0';
const arn = (model: string) => `arn:aws:bedrock:us-east-1::foundation-model/${model}`;
const query = 'capital of France';
const documents = ['Berlin is the capital of Germany', { text: 'Paris is the capital of France' }, 'Bananas are yellow'];
const texts = documents.map((d) => (typeof d === 'string' ? d : d.text));

describe('bedrock rerank through the OpenAI-style surface', () => {
  let bedrock: MockBedrock;
  let gw: TestGateway;

  beforeAll(async () => {
    ({ bedrock, gw } = await startBedrockGateway(
      (url) => `  - { name: aws-busy, kind: bedrock, base_url: "${url}/busy", region: us-east-1, api_key: "\${AWS_BEARER_TOKEN_BEDROCK}" }
models:
  - name: cohere-rerank
    capabilities: [rerank]
    deployments: [{ provider: aws-sigv4, model: "${COHERE}" }]
  - name: amazon-rerank
    capabilities: [rerank]
    deployments: [{ provider: aws-key, model: "${arn(AMAZON)}" }]
  - name: rerank-failover
    capabilities: [rerank]
    deployments:
      - { provider: aws-sigv4, model: "${COHERE}", priority: 0 }
      - { provider: aws-key, model: "${AMAZON}", priority: 1 }
  - name: busy-rerank
    capabilities: [rerank]
    deployments: [{ provider: aws-busy, model: "${COHERE}" }]
  - name: nova-as-rerank
    capabilities: [rerank]
    deployments: [{ provider: aws-key, model: amazon.nova-pro-v1:0 }]
routing: { retries: 1, backoff_base_ms: 1, backoff_max_ms: 5 }
`,
    ));
  });
  afterAll(async () => {
    await gw?.close();
    await bedrock?.close();
  });

  const rerank = async (body: Record<string, unknown>) => {
    const res = await gw.post('/v1/rerank', body);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('SigV4: one signed Rerank call with the model ARN; results mapped in Bedrock’s order, top_n sent', async () => {
    const before = bedrock.requests.length;
    const res = await rerank({ model: 'cohere-rerank', query, documents, top_n: 2 });
    expect(res.status).toBe(200);
    const sent = bedrock.requests.slice(before);
    expect(sent.map((r) => [r.path, r.auth])).toEqual([['/rerank', 'sigv4']]);
    expect(sent[0]!.body).toEqual({
      queries: [{ type: 'TEXT', textQuery: { text: query } }],
      sources: texts.map((text) => ({ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text } } })),
      rerankingConfiguration: {
        type: 'BEDROCK_RERANKING_MODEL',
        bedrockRerankingConfiguration: { numberOfResults: 2, modelConfiguration: { modelArn: arn(COHERE) } },
      },
    });
    expect(res.body.model).toBe('cohere-rerank');
    expect(res.body.results.map((r: any) => [r.index, r.relevance_score])).toEqual([
      [1, mockRelevance(query, texts[1]!)],
      [0, mockRelevance(query, texts[0]!)],
    ]);
  });

  it('API key: Bearer, an ARN deployment sent as is, every document ranked without top_n, documents when asked', async () => {
    const before = bedrock.requests.length;
    const res = await rerank({ model: 'amazon-rerank', query, documents, return_documents: true });
    expect(res.status).toBe(200);
    const sent = bedrock.requests.slice(before);
    expect(sent.map((r) => [r.path, r.auth, r.headers.authorization])).toEqual([['/rerank', 'bearer', 'Bearer ABSKbaimo-bedrock-key']]);
    expect(sent[0]!.body.rerankingConfiguration.bedrockRerankingConfiguration).toEqual({ numberOfResults: 3, modelConfiguration: { modelArn: arn(AMAZON) } });
    expect(res.body.results).toEqual([
      { index: 1, relevance_score: mockRelevance(query, texts[1]!), document: { text: texts[1] } },
      { index: 0, relevance_score: mockRelevance(query, texts[0]!), document: { text: texts[0] } },
      { index: 2, relevance_score: 0, document: { text: texts[2] } },
    ]);
  });

  it('a ThrottlingException fails over to the next deployment, signed then keyed', async () => {
    bedrock.enqueue('/rerank', { kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' });
    const before = bedrock.requests.length;
    const res = await rerank({ model: 'rerank-failover', query, documents, top_n: 1 });
    expect(res.status).toBe(200);
    const sent = bedrock.requests.slice(before);
    expect(sent.map((r) => [r.path, r.auth, r.body.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn])).toEqual([
      ['/rerank', 'sigv4', arn(COHERE)],
      ['/rerank', 'bearer', arn(AMAZON)],
    ]);
    expect(res.body.results.map((r: any) => r.index)).toEqual([1]);
  });

  it('a ThrottlingException with no other deployment is the caller’s 429', async () => {
    const throttle = { kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' } as const;
    bedrock.enqueue('/busy/rerank', throttle, throttle);
    const res = await rerank({ model: 'busy-rerank', query, documents });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(bedrock.requests.at(-1)!.path).toBe('/busy/rerank');
  });

  it('a model other than the Bedrock rerank models is refused with a 400 naming them, before any call', async () => {
    const before = bedrock.requests.length;
    const res = await rerank({ model: 'nova-as-rerank', query, documents });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'model' });
    expect(res.body.error.message).toContain(`${COHERE} and ${AMAZON}`);
    expect(bedrock.requests.length).toBe(before);
  });

  it('an upstream ValidationException is the caller’s 400', async () => {
    const res = await rerank({ model: 'cohere-rerank', query, documents, top_n: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', message: 'numberOfResults must be between 1 and the number of sources.' });
  });

  it('estimates usage, drops echoed documents unless asked, and meters the call as estimated', async () => {
    const res = await rerank({ model: 'cohere-rerank', query, documents });
    expect(res.body.results.every((r: any) => r.document === undefined)).toBe(true);
    const tokens = Math.ceil(texts.reduce((sum, t) => sum + query.length + t.length, 0) / 4);
    expect(res.body.usage).toEqual({ total_tokens: tokens, prompt_tokens: tokens });
    await gw.server.flushUsage();
    const usage = await fetch(`${gw.url}/admin/v1/usage?group_by=model`, { headers: { authorization: `Bearer ${gw.server.masterKey}` } });
    const rows = ((await usage.json()) as { data: { model: string; requests: number; estimated_requests: number }[] }).data;
    const row = rows.find((r) => r.model === 'cohere-rerank')!;
    expect(row.requests).toBeGreaterThan(0);
    expect(row.estimated_requests).toBe(row.requests);
  });
});
