import type { CatalogVendor } from '../types.js';

/** CATALOG.md §1.10; numbers from the snapshot. Pro and codex models are Responses-API-only, so not listed. */
export const OPENAI: CatalogVendor = {
  vendorId: 'openai',
  doc: 'CATALOG.md §1.10',
  models: [
    { name: 'gpt-5.5', upstream: 'gpt-5.5', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_050_000, max_output_tokens: 128_000, price: { input: 5, output: 30, cached_input: 0.5 }, currency: 'USD', snapshotKey: 'gpt-5.5' },
    { name: 'gpt-5.4', upstream: 'gpt-5.4', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_050_000, max_output_tokens: 128_000, price: { input: 2.5, output: 15, cached_input: 0.25 }, currency: 'USD', snapshotKey: 'gpt-5.4' },
    { name: 'gpt-5.4-mini', upstream: 'gpt-5.4-mini', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_050_000, max_output_tokens: 128_000, price: { input: 0.75, output: 4.5, cached_input: 0.075 }, currency: 'USD', snapshotKey: 'gpt-5.4-mini' },
    { name: 'gpt-5.4-nano', upstream: 'gpt-5.4-nano', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_050_000, max_output_tokens: 128_000, price: { input: 0.2, output: 1.25, cached_input: 0.02 }, currency: 'USD', snapshotKey: 'gpt-5.4-nano' },
    { name: 'gpt-5.1', upstream: 'gpt-5.1', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 272_000, max_output_tokens: 128_000, price: { input: 1.25, output: 10, cached_input: 0.125 }, currency: 'USD', snapshotKey: 'gpt-5.1' },
    { name: 'gpt-5', upstream: 'gpt-5', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 272_000, max_output_tokens: 128_000, price: { input: 1.25, output: 10, cached_input: 0.125 }, currency: 'USD', snapshotKey: 'gpt-5' },
    { name: 'gpt-5-mini', upstream: 'gpt-5-mini', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 272_000, max_output_tokens: 128_000, price: { input: 0.25, output: 2, cached_input: 0.025 }, currency: 'USD', snapshotKey: 'gpt-5-mini' },
    { name: 'gpt-4.1', upstream: 'gpt-4.1', capabilities: ['chat', 'tools', 'vision', 'json'], context_window: 1_047_576, max_output_tokens: 32_768, price: { input: 2, output: 8, cached_input: 0.5 }, currency: 'USD', snapshotKey: 'gpt-4.1' },
    { name: 'gpt-4.1-mini', upstream: 'gpt-4.1-mini', capabilities: ['chat', 'tools', 'vision', 'json'], context_window: 1_047_576, max_output_tokens: 32_768, price: { input: 0.4, output: 1.6, cached_input: 0.1 }, currency: 'USD', snapshotKey: 'gpt-4.1-mini' },
    { name: 'gpt-4o', upstream: 'gpt-4o', capabilities: ['chat', 'tools', 'vision', 'json'], context_window: 128_000, max_output_tokens: 16_384, price: { input: 2.5, output: 10, cached_input: 1.25 }, currency: 'USD', snapshotKey: 'gpt-4o' },
    { name: 'gpt-4o-mini', upstream: 'gpt-4o-mini', capabilities: ['chat', 'tools', 'vision', 'json'], context_window: 128_000, max_output_tokens: 16_384, price: { input: 0.15, output: 0.6, cached_input: 0.075 }, currency: 'USD', snapshotKey: 'gpt-4o-mini' },
    { name: 'o3', upstream: 'o3', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 200_000, max_output_tokens: 100_000, price: { input: 2, output: 8, cached_input: 0.5 }, currency: 'USD', snapshotKey: 'o3' },
    { name: 'o4-mini', upstream: 'o4-mini', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 200_000, max_output_tokens: 100_000, price: { input: 1.1, output: 4.4, cached_input: 0.275 }, currency: 'USD', snapshotKey: 'o4-mini' },
    { name: 'text-embedding-3-small', upstream: 'text-embedding-3-small', capabilities: ['embeddings'], context_window: 8191, price: { input: 0.02, output: 0 }, currency: 'USD', snapshotKey: 'text-embedding-3-small' },
    { name: 'text-embedding-3-large', upstream: 'text-embedding-3-large', capabilities: ['embeddings'], context_window: 8191, price: { input: 0.13, output: 0 }, currency: 'USD', snapshotKey: 'text-embedding-3-large' },
  ],
};
