import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { ProviderConfig } from '../../../src/config/types.js';
import { createAdapterRegistry, resolveKind } from '../../../src/providers/index.js';
import { BUILTIN_CATALOG } from '../../../src/providers/catalog/index.js';

/**
 * The catalog and the adapters agree: a model published with a capability is served by a codec for
 * it, at the URL its vendor's table entry gives. Uses the real kind resolver and adapter registry.
 */

const registry = createAdapterRegistry();
const providerOf = (kind: string): ProviderConfig => {
  const info = resolveKind(kind);
  return {
    name: kind,
    kind,
    base_url: info?.defaultBaseUrl ?? 'https://upstream.example/v1',
    api_key: 'k',
    headers: {},
    timeouts: { connect_ms: 1, first_byte_ms: 1, idle_ms: 1, total_ms: 1 },
  };
};

describe('built-in catalog vs adapters', () => {
  it('serves every published capability that needs a codec (chat, embeddings, rerank, completions)', () => {
    for (const vendor of BUILTIN_CATALOG) {
      const adapter = registry.adapterFor(providerOf(vendor.vendorId));
      for (const model of vendor.models) {
        for (const capability of model.capabilities) {
          if (capability === 'embeddings') expect(adapter.embeddings, `${model.name} embeddings`).toBeDefined();
          if (capability === 'rerank') expect(adapter.rerank, `${model.name} rerank`).toBeDefined();
          if (capability === 'completions') expect(adapter.completions, `${model.name} completions`).toBeDefined();
        }
      }
    }
  });

  it('sends each catalog rerank model to its vendor route (CATALOG.md §6.5, §7.1, §10, §17)', () => {
    const urls: Record<string, string> = {};
    for (const vendor of BUILTIN_CATALOG) {
      const provider = providerOf(vendor.vendorId);
      const adapter = registry.adapterFor(provider);
      for (const model of vendor.models.filter((m) => m.capabilities.includes('rerank'))) {
        const spec = adapter.rerank!.build({ model: model.name, query: 'q', documents: ['d'], extra: {} }, { provider, upstreamModel: model.upstream });
        urls[model.name] = spec.url;
      }
    }
    expect(urls).toEqual({
      'qwen3-rerank': 'https://dashscope.aliyuncs.com/compatible-api/v1/reranks',
      'gte-rerank-v2': 'https://dashscope.aliyuncs.com/api/v1/services/rerank/text-rerank/text-rerank',
      'bce-reranker-base': 'https://qianfan.baidubce.com/v2/rerankers',
      'zhipu-rerank': 'https://open.bigmodel.cn/api/paas/v4/rerank',
      'BAAI/bge-reranker-v2-m3': 'https://api.siliconflow.cn/v1/rerank',
    });
  });

  it('publishes the DashScope rerank models from DASHSCOPE_API_KEY alone, with the rerank capability', () => {
    const config = parseConfig(undefined, { env: { DASHSCOPE_API_KEY: 'sk-x' }, resolveKind, catalog: BUILTIN_CATALOG });
    const rerankers = config.models.filter((model) => model.capabilities.includes('rerank'));
    expect(rerankers.map((model) => model.name)).toEqual(['qwen3-rerank', 'gte-rerank-v2']);
    expect(rerankers[0]).toMatchObject({
      capabilities: ['rerank'],
      price: { input: 0.1, output: 0 },
      owned_by: 'dashscope',
      deployments: [{ provider: 'dashscope', model: 'qwen3-rerank' }],
    });
    expect(rerankers[1]?.price).toBeUndefined();
    expect(rerankers[1]?.deployments[0]).toMatchObject({ provider: 'dashscope', model: 'gte-rerank-v2' });
  });

  it('publishes the Qianfan and Zhipu rerankers under their keys', () => {
    const config = parseConfig(undefined, { env: { QIANFAN_API_KEY: 'bce-v3/x', ZHIPU_API_KEY: 'id.secret' }, resolveKind, catalog: BUILTIN_CATALOG });
    const rerankers = config.models.filter((model) => model.capabilities.includes('rerank'));
    expect(rerankers.map((model) => [model.name, model.deployments[0]?.model])).toEqual([
      ['bce-reranker-base', 'bce-reranker-base'],
      ['zhipu-rerank', 'rerank'],
    ]);
  });
});
