import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §9.1 (OpenAI-compatible endpoint). Hunyuan's own models have no USD list price in the
 * snapshot; `hunyuan-lite` is free per §9.1. The snapshot's `tencent/deepseek-v4-*` rows are DeepSeek
 * models resold by Tencent Cloud: define them as extra deployments of the DeepSeek models in
 * baimo.yaml rather than as second models of the same name.
 */
export const HUNYUAN: CatalogVendor = {
  vendorId: 'hunyuan',
  doc: 'CATALOG.md §9.1',
  models: [
    { name: 'hunyuan-turbos-latest', upstream: 'hunyuan-turbos-latest', capabilities: ['chat'], currency: 'USD' },
    { name: 'hunyuan-t1-latest', upstream: 'hunyuan-t1-latest', capabilities: ['chat', 'reasoning'], currency: 'USD' },
    { name: 'hunyuan-lite', upstream: 'hunyuan-lite', capabilities: ['chat'], price: { input: 0, output: 0 }, currency: 'USD' },
    { name: 'hunyuan-standard', upstream: 'hunyuan-standard', capabilities: ['chat'], currency: 'USD' },
    { name: 'hunyuan-large', upstream: 'hunyuan-large', capabilities: ['chat'], currency: 'USD' },
    { name: 'hunyuan-vision', upstream: 'hunyuan-vision', capabilities: ['chat', 'vision'], currency: 'USD' },
    { name: 'hunyuan-embedding', upstream: 'hunyuan-embedding', capabilities: ['embeddings'], currency: 'USD' },
  ],
};
