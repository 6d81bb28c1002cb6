import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §7.1 (v2 API, lowercase model ids). No USD list prices and no context windows are
 * recorded for these (Qianfan publishes CNY prices on its console; "-8k" names are not exact token
 * limits), so none are guessed. Capabilities are the minimum CATALOG.md confirms.
 */
export const QIANFAN: CatalogVendor = {
  vendorId: 'qianfan',
  doc: 'CATALOG.md §7.1',
  models: [
    { name: 'ernie-4.0-turbo-8k', upstream: 'ernie-4.0-turbo-8k', capabilities: ['chat'], currency: 'USD' },
    { name: 'ernie-3.5-8k', upstream: 'ernie-3.5-8k', capabilities: ['chat'], currency: 'USD' },
    { name: 'ernie-speed-128k', upstream: 'ernie-speed-128k', capabilities: ['chat'], currency: 'USD' },
    { name: 'ernie-lite-8k', upstream: 'ernie-lite-8k', capabilities: ['chat'], currency: 'USD' },
    // ≤16 texts per request; per-text token limits as in §7.1.
    { name: 'embedding-v1', upstream: 'embedding-v1', capabilities: ['embeddings'], context_window: 384, currency: 'USD' },
    { name: 'bge-large-zh', upstream: 'bge-large-zh', capabilities: ['embeddings'], context_window: 512, currency: 'USD' },
    // §7.1 ≈: `POST /v2/rerankers`, the only rerank model CATALOG.md names.
    { name: 'bce-reranker-base', upstream: 'bce-reranker-base', capabilities: ['rerank'], currency: 'USD' },
  ],
};
