import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §3 (table plus the 2026 entries it mentions). Cache writes cost 1.25× input (5-minute
 * TTL), recorded as `cache_write`. No `json`: the anthropic adapter refuses `response_format`.
 */
export const ANTHROPIC: CatalogVendor = {
  vendorId: 'anthropic',
  doc: 'CATALOG.md §3',
  models: [
    { name: 'claude-opus-5', upstream: 'claude-opus-5', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 128_000, price: { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 }, currency: 'USD', snapshotKey: 'claude-opus-5' },
    { name: 'claude-sonnet-5', upstream: 'claude-sonnet-5', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 128_000, price: { input: 2, output: 10, cached_input: 0.2, cache_write: 2.5 }, currency: 'USD', snapshotKey: 'claude-sonnet-5' },
    { name: 'claude-opus-4-7', upstream: 'claude-opus-4-7', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 128_000, price: { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 }, currency: 'USD', snapshotKey: 'claude-opus-4-7' },
    { name: 'claude-opus-4-6', upstream: 'claude-opus-4-6', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 128_000, price: { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 }, currency: 'USD', snapshotKey: 'claude-opus-4-6' },
    { name: 'claude-opus-4-5', upstream: 'claude-opus-4-5', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 200_000, max_output_tokens: 64_000, price: { input: 5, output: 25, cached_input: 0.5, cache_write: 6.25 }, currency: 'USD', snapshotKey: 'claude-opus-4-5' },
    { name: 'claude-sonnet-4-6', upstream: 'claude-sonnet-4-6', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 64_000, price: { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 }, currency: 'USD', snapshotKey: 'claude-sonnet-4-6' },
    { name: 'claude-sonnet-4-5', upstream: 'claude-sonnet-4-5', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 200_000, max_output_tokens: 64_000, price: { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 }, currency: 'USD', snapshotKey: 'claude-sonnet-4-5' },
    { name: 'claude-haiku-4-5', upstream: 'claude-haiku-4-5', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 200_000, max_output_tokens: 64_000, price: { input: 1, output: 5, cached_input: 0.1, cache_write: 1.25 }, currency: 'USD', snapshotKey: 'claude-haiku-4-5' },
    { name: 'claude-opus-4-1', upstream: 'claude-opus-4-1', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 200_000, max_output_tokens: 32_000, price: { input: 15, output: 75, cached_input: 1.5, cache_write: 18.75 }, currency: 'USD', snapshotKey: 'claude-opus-4-1' },
  ],
};
