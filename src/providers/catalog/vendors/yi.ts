import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §16 (01.AI / Lingyiwanwu). `yi-lightning` limits are from a 2026-04 config survey cited
 * there; its ¥0.99 per 1M is CNY and unconfirmed by the vendor, so no price is recorded.
 */
export const YI: CatalogVendor = {
  vendorId: 'yi',
  doc: 'CATALOG.md §16',
  models: [
    { name: 'yi-lightning', upstream: 'yi-lightning', capabilities: ['chat'], context_window: 16_384, max_output_tokens: 4096, currency: 'USD' },
    { name: 'yi-vision-v2', upstream: 'yi-vision-v2', capabilities: ['chat', 'vision'], currency: 'USD' },
  ],
};
