import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src/config/types.js';
import type { DecodeContext, UpstreamTarget } from '../../../src/providers/adapter.js';
import { embeddingBatchLimit } from '../../../src/providers/index.js';
import { hostBase } from '../../../src/providers/openai-compatible/endpoint.js';
import { createOpenAICompatibleAdapter, findVendor, VENDORS, type RerankRoute } from '../../../src/providers/openai-compatible/index.js';
import { routeFor } from '../../../src/providers/openai-compatible/rerank.js';
import type { RerankRequest } from '../../../src/protocol/chat.js';
import { BaimoError } from '../../../src/protocol/errors.js';
import { isEstimated } from '../../../src/providers/estimated-usage.js';

/** Rerank routing and parsing rules beyond the per-vendor fixtures (CATALOG.md §6.5, §7.1, §10, §17). */

const provider = (vendorId: string, overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'p',
  kind: vendorId,
  base_url: findVendor(vendorId)?.defaultBaseUrl ?? 'https://upstream.example/v1',
  api_key: 'k',
  headers: {},
  timeouts: { connect_ms: 1, first_byte_ms: 1, idle_ms: 1, total_ms: 1 },
  ...overrides,
});
const target = (vendorId: string, upstreamModel: string, overrides: Partial<ProviderConfig> = {}): UpstreamTarget => ({
  provider: provider(vendorId, overrides),
  upstreamModel,
});
const ctx: DecodeContext = { newId: (prefix) => `${prefix}-test`, nowSeconds: () => 0 };
const rerank = (vendorId: string) => createOpenAICompatibleAdapter(findVendor(vendorId)!).rerank!;
const request = (more: Partial<RerankRequest> = {}): RerankRequest => ({ model: 'public', query: 'q', documents: ['a', { text: 'b' }], extra: {}, ...more });

describe('rerank routes', () => {
  const routes: RerankRoute[] = [
    { path: '/native', shape: 'dashscope-native', models: ['gte-rerank'] },
    { path: '/compat', shape: 'jina' },
  ];

  it('picks the first route whose model prefix matches, else the catch-all', () => {
    expect(routeFor(routes, 'gte-rerank-v2').path).toBe('/native');
    expect(routeFor(routes, 'gte-rerank').path).toBe('/native');
    expect(routeFor(routes, 'qwen3-rerank').path).toBe('/compat');
    expect(routeFor(routes, 'my-gte-rerank').path).toBe('/compat');
  });

  it('falls back to the last route even when it names models, and refuses an empty list', () => {
    expect(routeFor([{ path: '/only', shape: 'jina', models: ['x'] }], 'y').path).toBe('/only');
    expect(() => routeFor([], 'y')).toThrow();
  });

  it('sends DashScope gte-rerank* to the native service and everything else to the compatible API (§6.5)', () => {
    const codec = rerank('dashscope');
    expect(codec.build(request(), target('dashscope', 'gte-rerank-v2')).url).toBe(
      'https://dashscope.aliyuncs.com/api/v1/services/rerank/text-rerank/text-rerank',
    );
    expect(codec.build(request(), target('dashscope', 'qwen3-rerank')).url).toBe('https://dashscope.aliyuncs.com/compatible-api/v1/reranks');
  });

  it('resolves host-absolute paths against base_url minus the default base path, keeping a proxy prefix', () => {
    const dashscope = findVendor('dashscope')!;
    expect(hostBase(dashscope, 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1')).toBe('https://dashscope-intl.aliyuncs.com');
    expect(hostBase(dashscope, 'https://gw.corp.example/dashscope/compatible-mode/v1')).toBe('https://gw.corp.example/dashscope');
    expect(hostBase(dashscope, 'https://ws-1.cn-beijing.maas.aliyuncs.com/compatible-api/v1')).toBe('https://ws-1.cn-beijing.maas.aliyuncs.com');
    expect(hostBase(dashscope, 'http://10.0.0.5:8080/xcompatible-mode/v1')).toBe('http://10.0.0.5:8080');
    const url = rerank('dashscope').build(request(), target('dashscope', 'qwen3-rerank', { base_url: 'https://gw.corp.example/dashscope/compatible-mode/v1/' })).url;
    expect(url).toBe('https://gw.corp.example/dashscope/compatible-api/v1/reranks');
  });

  it('keeps relative rerank paths under base_url (Qianfan /v2/rerankers ≈, Zhipu /rerank)', () => {
    expect(rerank('qianfan').build(request(), target('qianfan', 'bce-reranker-base')).url).toBe('https://qianfan.baidubce.com/v2/rerankers');
    expect(rerank('zhipu').build(request(), target('zhipu', 'rerank')).url).toBe('https://open.bigmodel.cn/api/paas/v4/rerank');
  });

  it('puts client extras into `parameters` for the native shape and never mutates the request', () => {
    const req = Object.freeze(request({ top_n: 1, extra: Object.freeze({ custom: 1 }) }));
    const body = JSON.parse(rerank('dashscope').build(req, target('dashscope', 'gte-rerank-v2')).body!) as Record<string, unknown>;
    expect(body).toEqual({ model: 'gte-rerank-v2', input: { query: 'q', documents: ['a', 'b'] }, parameters: { custom: 1, top_n: 1 } });
    expect(req.documents).toEqual(['a', { text: 'b' }]);
  });

  it('builds for every vendor with rerank routes, for every route', () => {
    for (const vendor of VENDORS) {
      for (const route of vendor.paths.rerank ?? []) {
        const model = route.models?.[0] ?? 'some-reranker';
        const spec = createOpenAICompatibleAdapter(vendor).rerank!.build(request(), target(vendor.id, model));
        expect(spec.url.endsWith(route.path), `${vendor.id} ${route.path}`).toBe(true);
      }
    }
  });
});

describe('rerank parsing', () => {
  it('reads the native `output.results` envelope and uses `request_id` as the id', () => {
    const parsed = rerank('dashscope').parse({ output: { results: [{ index: 1, relevance_score: 0.5 }] }, usage: { total_tokens: 9 }, request_id: 'r-1' }, ctx);
    expect(parsed).toEqual({ id: 'r-1', model: '', results: [{ index: 1, relevance_score: 0.5 }], usage: { total_tokens: 9 } });
  });

  it('keeps the upstream order and does not re-sort', () => {
    const results = [
      { index: 2, relevance_score: 0.2 },
      { index: 0, relevance_score: 0.9 },
    ];
    expect(rerank('qianfan').parse({ results }, ctx).results).toEqual(results);
  });

  it('tolerates missing pieces: index from position, `score`, usage with prompt tokens only, no usage at all', () => {
    const parsed = rerank('zhipu').parse({ results: [{ score: 0.3 }, { relevance_score: 0.1, document: 'd' }], usage: { prompt_tokens: 7 } }, ctx);
    expect(parsed).toEqual({
      id: 'rerank-test',
      model: '',
      results: [
        { index: 0, relevance_score: 0.3 },
        { index: 1, relevance_score: 0.1, document: { text: 'd' } },
      ],
      usage: { total_tokens: 7, prompt_tokens: 7 },
    });
    expect(rerank('qianfan').parse({ results: [] }, ctx).usage).toEqual({ total_tokens: 0, prompt_tokens: 0 });
    expect(isEstimated(parsed.usage)).toBe(false);
  });

  it('estimates usage the upstream does not report (⌈characters / 4⌉ over query + document pairs), marked for metering', () => {
    const req = request({ query: 'what', documents: ['abcd', { text: 'efghijkl' }] });
    const usage = rerank('vllm').parse({ results: [{ index: 1, relevance_score: 0.9 }] }, ctx, req).usage;
    expect(usage).toEqual({ total_tokens: 5, prompt_tokens: 5 }); // ⌈(8 + 12) / 4⌉
    expect(isEstimated(usage)).toBe(true);
    const reported = rerank('siliconflow').parse({ results: [], meta: { tokens: { input_tokens: 3, output_tokens: 0 } } }, ctx, req).usage;
    expect(reported).toEqual({ total_tokens: 3, prompt_tokens: 3 });
    expect(isEstimated(reported)).toBe(false);
  });

  it('refuses a body without results, and throws an error reported inside a 200', () => {
    const malformed = (() => {
      try {
        rerank('dashscope').parse({ output: {} }, ctx);
      } catch (error) {
        return error;
      }
    })();
    expect(BaimoError.is(malformed) && malformed.code).toBe('upstream_malformed_response');
    const embedded = (() => {
      try {
        rerank('qianfan').parse({ error: { code: 'rpm_rate_limit_exceeded', message: 'slow down' } }, ctx);
      } catch (error) {
        return error;
      }
    })();
    expect(BaimoError.is(embedded) && embedded.code).toBe('rate_limit_exceeded');
  });
});

describe('embeddingBatchLimit', () => {
  it('gives the CATALOG.md limits per kind (§1.7 ≈, §6.5, §7.1)', () => {
    expect(embeddingBatchLimit('openai')).toBe(2048);
    expect(embeddingBatchLimit('dashscope')).toBe(10);
    expect(embeddingBatchLimit('qianfan')).toBe(16);
  });

  it('uses a model exception when the upstream model is given', () => {
    expect(embeddingBatchLimit('qianfan', 'tao-8k')).toBe(1);
    expect(embeddingBatchLimit('qianfan', 'bge-large-zh')).toBe(16);
    expect(embeddingBatchLimit('dashscope', 'text-embedding-v4')).toBe(10);
    expect(embeddingBatchLimit('dashscope', 'text-embedding-v2')).toBe(25);
    expect(embeddingBatchLimit('qianfan', 'constructor')).toBe(16);
  });

  it('is undefined where no limit is stated: other vendors, engines, native families, unknown kinds', () => {
    for (const kind of ['azure', 'zhipu', 'siliconflow', 'vllm', 'ollama', 'openai-compatible', 'anthropic', 'gemini', 'nope', 'constructor']) {
      expect(embeddingBatchLimit(kind), kind).toBeUndefined();
    }
  });
});
