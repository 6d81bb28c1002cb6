import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §13. MiniMax-M2.7 is named in §13 but absent from the snapshot, so it has no price or
 * limits. Cache writes ($0.375) have no PriceConfig field yet. No `json`: §13 says `response_format`
 * is not supported and is stripped.
 */
export const MINIMAX: CatalogVendor = {
  vendorId: 'minimax',
  doc: 'CATALOG.md §13',
  models: [
    { name: 'MiniMax-M3', upstream: 'MiniMax-M3', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 1_000_000, max_output_tokens: 128_000, price: { input: 0.3, output: 1.2, cached_input: 0.06 }, currency: 'USD', snapshotKey: 'minimax/MiniMax-M3' },
    { name: 'MiniMax-M2.7', upstream: 'MiniMax-M2.7', capabilities: ['chat', 'tools', 'reasoning'], currency: 'USD' },
    { name: 'MiniMax-M2.5', upstream: 'MiniMax-M2.5', capabilities: ['chat', 'tools', 'reasoning'], context_window: 1_000_000, max_output_tokens: 8192, price: { input: 0.3, output: 1.2, cached_input: 0.03, cache_write: 0.375 }, currency: 'USD', snapshotKey: 'minimax/MiniMax-M2.5' },
    { name: 'MiniMax-M2.5-lightning', upstream: 'MiniMax-M2.5-lightning', capabilities: ['chat', 'tools', 'reasoning'], context_window: 1_000_000, max_output_tokens: 8192, price: { input: 0.3, output: 2.4, cached_input: 0.03, cache_write: 0.375 }, currency: 'USD', snapshotKey: 'minimax/MiniMax-M2.5-lightning' },
    { name: 'MiniMax-M2.1', upstream: 'MiniMax-M2.1', capabilities: ['chat', 'tools', 'reasoning'], context_window: 1_000_000, max_output_tokens: 8192, price: { input: 0.3, output: 1.2, cached_input: 0.03, cache_write: 0.375 }, currency: 'USD', snapshotKey: 'minimax/MiniMax-M2.1' },
    { name: 'MiniMax-M2.1-lightning', upstream: 'MiniMax-M2.1-lightning', capabilities: ['chat', 'tools', 'reasoning'], context_window: 1_000_000, max_output_tokens: 8192, price: { input: 0.3, output: 2.4, cached_input: 0.03, cache_write: 0.375 }, currency: 'USD', snapshotKey: 'minimax/MiniMax-M2.1-lightning' },
    { name: 'MiniMax-M2', upstream: 'MiniMax-M2', capabilities: ['chat', 'tools', 'reasoning'], context_window: 200_000, max_output_tokens: 8192, price: { input: 0.3, output: 1.2, cached_input: 0.03, cache_write: 0.375 }, currency: 'USD', snapshotKey: 'minimax/MiniMax-M2' },
  ],
};
