import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §10 (`zai/*` in the snapshot). Prices are the Z.ai international USD list; keys for
 * open.bigmodel.cn are billed the CNY list, which differs. The `-flash` models are free.
 */
export const ZHIPU: CatalogVendor = {
  vendorId: 'zhipu',
  doc: 'CATALOG.md §10',
  models: [
    { name: 'glm-5.1', upstream: 'glm-5.1', capabilities: ['chat', 'tools', 'reasoning'], context_window: 200_000, max_output_tokens: 128_000, price: { input: 1.4, output: 4.4, cached_input: 0.26 }, currency: 'USD', snapshotKey: 'zai/glm-5.1' },
    { name: 'glm-5', upstream: 'glm-5', capabilities: ['chat', 'tools', 'reasoning'], context_window: 200_000, max_output_tokens: 128_000, price: { input: 1, output: 3.2, cached_input: 0.2 }, currency: 'USD', snapshotKey: 'zai/glm-5' },
    { name: 'glm-4.7', upstream: 'glm-4.7', capabilities: ['chat', 'tools', 'reasoning'], context_window: 200_000, max_output_tokens: 128_000, price: { input: 0.6, output: 2.2, cached_input: 0.11 }, currency: 'USD', snapshotKey: 'zai/glm-4.7' },
    { name: 'glm-4.6', upstream: 'glm-4.6', capabilities: ['chat', 'tools', 'reasoning'], context_window: 200_000, max_output_tokens: 128_000, price: { input: 0.6, output: 2.2, cached_input: 0.11 }, currency: 'USD', snapshotKey: 'zai/glm-4.6' },
    { name: 'glm-4.7-flash', upstream: 'glm-4.7-flash', capabilities: ['chat', 'tools', 'reasoning'], context_window: 200_000, max_output_tokens: 128_000, price: { input: 0, output: 0, cached_input: 0 }, currency: 'USD', snapshotKey: 'zai/glm-4.7-flash' },
    { name: 'glm-4.5', upstream: 'glm-4.5', capabilities: ['chat', 'tools'], context_window: 128_000, max_output_tokens: 32_000, price: { input: 0.6, output: 2.2 }, currency: 'USD', snapshotKey: 'zai/glm-4.5' },
    { name: 'glm-4.5-air', upstream: 'glm-4.5-air', capabilities: ['chat', 'tools'], context_window: 128_000, max_output_tokens: 32_000, price: { input: 0.2, output: 1.1 }, currency: 'USD', snapshotKey: 'zai/glm-4.5-air' },
    { name: 'glm-4.5-flash', upstream: 'glm-4.5-flash', capabilities: ['chat', 'tools'], context_window: 128_000, max_output_tokens: 32_000, price: { input: 0, output: 0 }, currency: 'USD', snapshotKey: 'zai/glm-4.5-flash' },
    // §10: 2048 dims by default (256/512/1024 selectable).
    { name: 'embedding-3', upstream: 'embedding-3', capabilities: ['embeddings'], currency: 'USD' },
    // §10 ✔ model `rerank` (too generic a public name, so published as `zhipu-rerank`); no price stated.
    { name: 'zhipu-rerank', upstream: 'rerank', capabilities: ['rerank'], currency: 'USD' },
  ],
};
