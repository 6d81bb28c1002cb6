import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §15 (iFlytek Spark HTTP API). Spark's model ids (`lite`, `generalv3`, `4.0Ultra`) are
 * too generic to publish as they are, so public names carry a `spark-` prefix and the id goes upstream.
 * `max_tokens` is limited to 1–8192 on every model; function calling exists on Max and 4.0 Ultra
 * only; Lite is free. No USD prices are known for the others.
 */
export const SPARK: CatalogVendor = {
  vendorId: 'spark',
  doc: 'CATALOG.md §15',
  models: [
    { name: 'spark-lite', upstream: 'lite', capabilities: ['chat'], max_output_tokens: 8192, price: { input: 0, output: 0 }, currency: 'USD' },
    { name: 'spark-pro', upstream: 'generalv3', capabilities: ['chat'], max_output_tokens: 8192, currency: 'USD' },
    { name: 'spark-pro-128k', upstream: 'pro-128k', capabilities: ['chat'], max_output_tokens: 8192, currency: 'USD' },
    { name: 'spark-max', upstream: 'generalv3.5', capabilities: ['chat', 'tools'], max_output_tokens: 8192, currency: 'USD' },
    { name: 'spark-max-32k', upstream: 'max-32k', capabilities: ['chat', 'tools'], max_output_tokens: 8192, currency: 'USD' },
    { name: 'spark-4.0-ultra', upstream: '4.0Ultra', capabilities: ['chat', 'tools'], max_output_tokens: 8192, currency: 'USD' },
  ],
};
