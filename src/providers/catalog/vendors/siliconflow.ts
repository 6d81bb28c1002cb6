import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §17. Models keep SiliconFlow's Hugging Face-style ids as public names: they say which
 * host serves them and never collide with the first-party names (`glm-4.6` is Zhipu's). No prices
 * (SiliconFlow lists CNY on its site) and minimal capabilities: §17 does not confirm per-model tools.
 */
export const SILICONFLOW: CatalogVendor = {
  vendorId: 'siliconflow',
  doc: 'CATALOG.md §17',
  models: [
    { name: 'deepseek-ai/DeepSeek-V3.2', upstream: 'deepseek-ai/DeepSeek-V3.2', capabilities: ['chat', 'reasoning'], currency: 'USD' },
    { name: 'Qwen/Qwen3-32B', upstream: 'Qwen/Qwen3-32B', capabilities: ['chat', 'reasoning'], currency: 'USD' },
    { name: 'zai-org/GLM-4.6', upstream: 'zai-org/GLM-4.6', capabilities: ['chat', 'reasoning'], currency: 'USD' },
    { name: 'moonshotai/Kimi-K2-Instruct', upstream: 'moonshotai/Kimi-K2-Instruct', capabilities: ['chat'], currency: 'USD' },
    { name: 'BAAI/bge-m3', upstream: 'BAAI/bge-m3', capabilities: ['embeddings'], currency: 'USD' },
    { name: 'Qwen/Qwen3-Embedding-8B', upstream: 'Qwen/Qwen3-Embedding-8B', capabilities: ['embeddings'], currency: 'USD' },
    { name: 'BAAI/bge-reranker-v2-m3', upstream: 'BAAI/bge-reranker-v2-m3', capabilities: ['rerank'], currency: 'USD' },
  ],
};
