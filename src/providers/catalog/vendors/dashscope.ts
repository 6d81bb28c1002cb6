import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §6.6 and §6.5. Prices are the international (Singapore) USD list from the snapshot;
 * Beijing-region keys are billed the CNY list, which differs (e.g. qwen-flash ¥0.15/¥1.5 ≤128k).
 * Most Qwen models are priced in tiers by the request's input length: the lowest tier is the base
 * price and the others are `tiers` (billed by the attempt's input tokens, metering/price.ts).
 */
export const DASHSCOPE: CatalogVendor = {
  vendorId: 'dashscope',
  doc: 'CATALOG.md §6',
  models: [
    // Tiers: 0–32k 1.2/6.0, 32–128k 2.4/12.0, 128–252k 3.0/15.0.
    { name: 'qwen3-max', upstream: 'qwen3-max', capabilities: ['chat', 'tools', 'reasoning'], context_window: 258_048, max_output_tokens: 65_536, price: { input: 1.2, output: 6, tiers: [{ above_input_tokens: 32_000, input: 2.4, output: 12 }, { above_input_tokens: 128_000, input: 3, output: 15 }] }, currency: 'USD', snapshotKey: 'dashscope/qwen3-max' },
    // Tiers: 0–256k 0.4/2.4, 256k–1M 0.5/3.0.
    { name: 'qwen3.5-plus', upstream: 'qwen3.5-plus', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 991_808, max_output_tokens: 65_536, price: { input: 0.4, output: 2.4, tiers: [{ above_input_tokens: 256_000, input: 0.5, output: 3 }] }, currency: 'USD', snapshotKey: 'dashscope/qwen3.5-plus' },
    // Thinking-mode output $4.00 (CATALOG.md §6.6, Appendix D).
    { name: 'qwen-plus', upstream: 'qwen-plus', capabilities: ['chat', 'tools', 'reasoning'], context_window: 129_024, max_output_tokens: 16_384, price: { input: 0.4, output: 1.2, reasoning: 4 }, currency: 'USD', snapshotKey: 'dashscope/qwen-plus' },
    // Tiers: 0–256k 0.05/0.4, 256k–1M 0.25/2.0.
    { name: 'qwen-flash', upstream: 'qwen-flash', capabilities: ['chat', 'tools', 'reasoning'], context_window: 997_952, max_output_tokens: 32_768, price: { input: 0.05, output: 0.4, tiers: [{ above_input_tokens: 256_000, input: 0.25, output: 2 }] }, currency: 'USD', snapshotKey: 'dashscope/qwen-flash' },
    { name: 'qwen-turbo', upstream: 'qwen-turbo', capabilities: ['chat', 'tools', 'reasoning'], context_window: 129_024, max_output_tokens: 16_384, price: { input: 0.05, output: 0.2 }, currency: 'USD', snapshotKey: 'dashscope/qwen-turbo' },
    // Tiers: 0–32k 1.0/5.0 (cached 0.1), 32–128k 1.8/9.0, 128–256k 3.0/15.0, 256k–1M 6.0/60.0.
    { name: 'qwen3-coder-plus', upstream: 'qwen3-coder-plus', capabilities: ['chat', 'tools', 'reasoning'], context_window: 997_952, max_output_tokens: 65_536, price: { input: 1, output: 5, cached_input: 0.1, tiers: [{ above_input_tokens: 32_000, input: 1.8, output: 9, cached_input: 0.18 }, { above_input_tokens: 128_000, input: 3, output: 15, cached_input: 0.3 }, { above_input_tokens: 256_000, input: 6, output: 60, cached_input: 0.6 }] }, currency: 'USD', snapshotKey: 'dashscope/qwen3-coder-plus' },
    // Tiers: 0–32k 0.3/1.5 (cached 0.08), 32–128k 0.5/2.5, 128–256k 0.8/4.0, 256k–1M 1.6/9.6.
    { name: 'qwen3-coder-flash', upstream: 'qwen3-coder-flash', capabilities: ['chat', 'tools', 'reasoning'], context_window: 997_952, max_output_tokens: 65_536, price: { input: 0.3, output: 1.5, cached_input: 0.08, tiers: [{ above_input_tokens: 32_000, input: 0.5, output: 2.5, cached_input: 0.12 }, { above_input_tokens: 128_000, input: 0.8, output: 4, cached_input: 0.2 }, { above_input_tokens: 256_000, input: 1.6, output: 9.6, cached_input: 0.4 }] }, currency: 'USD', snapshotKey: 'dashscope/qwen3-coder-flash' },
    // Tiers: 0–32k 0.2/1.6, 32–128k 0.3/2.4, 128–256k 0.6/4.8.
    { name: 'qwen3-vl-plus', upstream: 'qwen3-vl-plus', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 260_096, max_output_tokens: 32_768, price: { input: 0.2, output: 1.6, tiers: [{ above_input_tokens: 32_000, input: 0.3, output: 2.4 }, { above_input_tokens: 128_000, input: 0.6, output: 4.8 }] }, currency: 'USD', snapshotKey: 'dashscope/qwen3-vl-plus' },
    { name: 'qwq-plus', upstream: 'qwq-plus', capabilities: ['chat', 'tools', 'reasoning'], context_window: 98_304, max_output_tokens: 8192, price: { input: 0.8, output: 2.4 }, currency: 'USD', snapshotKey: 'dashscope/qwq-plus' },
    { name: 'qwen-max', upstream: 'qwen-max', capabilities: ['chat', 'tools', 'reasoning'], context_window: 30_720, max_output_tokens: 8192, price: { input: 1.6, output: 6.4 }, currency: 'USD', snapshotKey: 'dashscope/qwen-max' },
    // §6.5: ≤8192 tokens per text, 1024 dims by default; $0.07 is the Singapore price (Beijing ¥0.5).
    { name: 'text-embedding-v4', upstream: 'text-embedding-v4', capabilities: ['embeddings'], context_window: 8192, price: { input: 0.07, output: 0 }, currency: 'USD' },
    // §6.5: served on the compatible API (`/compatible-api/v1/reranks`); ≤500 docs, $0.1 per 1M tokens.
    { name: 'qwen3-rerank', upstream: 'qwen3-rerank', capabilities: ['rerank'], price: { input: 0.1, output: 0 }, currency: 'USD' },
    // §6.5: served on the native text-rerank service; ≤500 docs, 30k tokens per request; no price stated.
    { name: 'gte-rerank-v2', upstream: 'gte-rerank-v2', capabilities: ['rerank'], currency: 'USD' },
  ],
};
