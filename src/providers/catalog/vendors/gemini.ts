import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §4 (models table). CATALOG.md notes long-context tiers for some Pro models; the snapshot
 * has no tiers for them, so these are the base prices; an operator adds `tiers` in baimo.yaml.
 */
export const GEMINI: CatalogVendor = {
  vendorId: 'gemini',
  doc: 'CATALOG.md §4',
  models: [
    { name: 'gemini-3.1-pro-preview', upstream: 'gemini-3.1-pro-preview', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_048_576, max_output_tokens: 65_536, price: { input: 2, output: 12, cached_input: 0.2 }, currency: 'USD', snapshotKey: 'gemini/gemini-3.1-pro-preview' },
    { name: 'gemini-3-pro-preview', upstream: 'gemini-3-pro-preview', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_048_576, max_output_tokens: 65_535, price: { input: 2, output: 12, cached_input: 0.2 }, currency: 'USD', snapshotKey: 'gemini/gemini-3-pro-preview' },
    { name: 'gemini-3-flash-preview', upstream: 'gemini-3-flash-preview', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_048_576, max_output_tokens: 65_535, price: { input: 0.5, output: 3, cached_input: 0.05 }, currency: 'USD', snapshotKey: 'gemini/gemini-3-flash-preview' },
    { name: 'gemini-3.1-flash-lite', upstream: 'gemini-3.1-flash-lite', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_048_576, max_output_tokens: 65_536, price: { input: 0.25, output: 1.5, cached_input: 0.025 }, currency: 'USD', snapshotKey: 'gemini/gemini-3.1-flash-lite' },
    { name: 'gemini-2.5-pro', upstream: 'gemini-2.5-pro', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_048_576, max_output_tokens: 65_535, price: { input: 1.25, output: 10, cached_input: 0.125 }, currency: 'USD', snapshotKey: 'gemini/gemini-2.5-pro' },
    { name: 'gemini-2.5-flash', upstream: 'gemini-2.5-flash', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_048_576, max_output_tokens: 65_535, price: { input: 0.3, output: 2.5, cached_input: 0.03 }, currency: 'USD', snapshotKey: 'gemini/gemini-2.5-flash' },
    { name: 'gemini-2.5-flash-lite', upstream: 'gemini-2.5-flash-lite', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 1_048_576, max_output_tokens: 65_535, price: { input: 0.1, output: 0.4, cached_input: 0.01 }, currency: 'USD', snapshotKey: 'gemini/gemini-2.5-flash-lite' },
    { name: 'gemini-embedding-001', upstream: 'gemini-embedding-001', capabilities: ['embeddings'], context_window: 2048, price: { input: 0.15, output: 0 }, currency: 'USD', snapshotKey: 'gemini/gemini-embedding-001' },
  ],
};
