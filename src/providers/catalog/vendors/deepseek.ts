import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §12. V4 models: 1M context and "up to 384K output" (§12 ✔; the snapshot's
 * tencent/deepseek-v4-* rows agree, its deepseek/* rows say 8192, which would refuse legal requests).
 * The legacy aliases were announced to retire on 2026-07-24; they stay while the API still answers.
 * DeepSeek warned of a price increase on 2026-08-06: re-check against the next snapshot.
 */
export const DEEPSEEK: CatalogVendor = {
  vendorId: 'deepseek',
  doc: 'CATALOG.md §12',
  models: [
    { name: 'deepseek-v4-flash', upstream: 'deepseek-v4-flash', capabilities: ['chat', 'tools', 'json', 'reasoning'], context_window: 1_000_000, max_output_tokens: 384_000, price: { input: 0.14, output: 0.28, cached_input: 0.0028 }, currency: 'USD', snapshotKey: 'deepseek-v4-flash' },
    { name: 'deepseek-v4-pro', upstream: 'deepseek-v4-pro', capabilities: ['chat', 'tools', 'json', 'reasoning'], context_window: 1_000_000, max_output_tokens: 384_000, price: { input: 0.435, output: 0.87, cached_input: 0.003625 }, currency: 'USD', snapshotKey: 'deepseek-v4-pro' },
    { name: 'deepseek-chat', upstream: 'deepseek-chat', capabilities: ['chat', 'tools', 'json'], context_window: 131_072, max_output_tokens: 8192, price: { input: 0.28, output: 0.42, cached_input: 0.028 }, currency: 'USD', snapshotKey: 'deepseek-chat' },
    { name: 'deepseek-reasoner', upstream: 'deepseek-reasoner', capabilities: ['chat', 'json', 'reasoning'], context_window: 131_072, max_output_tokens: 65_536, price: { input: 0.28, output: 0.42, cached_input: 0.028 }, currency: 'USD', snapshotKey: 'deepseek-reasoner' },
  ],
};
