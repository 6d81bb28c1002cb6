import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §11. The 2025 ids (`kimi-k2-*-preview`, `kimi-latest`, …) were discontinued in 2026 and
 * are left out although the snapshot still lists them.
 */
export const MOONSHOT: CatalogVendor = {
  vendorId: 'moonshot',
  doc: 'CATALOG.md §11',
  models: [
    { name: 'kimi-k2.6', upstream: 'kimi-k2.6', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 262_144, max_output_tokens: 262_144, price: { input: 0.95, output: 4, cached_input: 0.16 }, currency: 'USD', snapshotKey: 'moonshot/kimi-k2.6' },
    { name: 'kimi-k2.5', upstream: 'kimi-k2.5', capabilities: ['chat', 'tools', 'vision', 'json', 'reasoning'], context_window: 262_144, max_output_tokens: 262_144, price: { input: 0.6, output: 3, cached_input: 0.1 }, currency: 'USD', snapshotKey: 'moonshot/kimi-k2.5' },
    { name: 'moonshot-v1-8k', upstream: 'moonshot-v1-8k', capabilities: ['chat', 'tools', 'json'], context_window: 8192, max_output_tokens: 8192, price: { input: 0.2, output: 2 }, currency: 'USD', snapshotKey: 'moonshot/moonshot-v1-8k' },
    { name: 'moonshot-v1-32k', upstream: 'moonshot-v1-32k', capabilities: ['chat', 'tools', 'json'], context_window: 32_768, max_output_tokens: 32_768, price: { input: 1, output: 3 }, currency: 'USD', snapshotKey: 'moonshot/moonshot-v1-32k' },
    { name: 'moonshot-v1-128k', upstream: 'moonshot-v1-128k', capabilities: ['chat', 'tools', 'json'], context_window: 131_072, max_output_tokens: 131_072, price: { input: 2, output: 5 }, currency: 'USD', snapshotKey: 'moonshot/moonshot-v1-128k' },
    // `auto` picks 8k/32k/128k per request and bills the one it picked; the snapshot lists the 128k
    // price, so cost is an upper bound here.
    { name: 'moonshot-v1-auto', upstream: 'moonshot-v1-auto', capabilities: ['chat', 'tools', 'json'], context_window: 131_072, max_output_tokens: 131_072, price: { input: 2, output: 5 }, currency: 'USD', snapshotKey: 'moonshot/moonshot-v1-auto' },
  ],
};
