import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §8 (Volcano Ark / Doubao; `volcengine/*` in the snapshot). The CNY list is the primary
 * price; the snapshot's USD figures are converted. Seed 2.0 is tiered by input length: the lowest
 * tier is the base price and the others are `tiers`. Many accounts
 * must call an `ep-…` endpoint id instead of the model id: operators then define the deployment in
 * baimo.yaml. The snapshot's Ark embedding rows carry price 0, which is missing data, not a free
 * model, so no price is recorded for them.
 */
export const ARK: CatalogVendor = {
  vendorId: 'ark',
  doc: 'CATALOG.md §8',
  models: [
    // Tiers: 0–32k 0.46/2.30, 32–128k 0.70/3.50, 128–256k 1.40/7.00.
    { name: 'doubao-seed-2-0-pro-260215', upstream: 'doubao-seed-2-0-pro-260215', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 256_000, max_output_tokens: 128_000, price: { input: 0.46, output: 2.3, tiers: [{ above_input_tokens: 32_000, input: 0.7, output: 3.5 }, { above_input_tokens: 128_000, input: 1.4, output: 7 }] }, currency: 'USD', snapshotKey: 'volcengine/doubao-seed-2-0-pro-260215' },
    // Tiers: 0–32k 0.087/0.52, 32–128k 0.13/0.78, 128–256k 0.26/1.60.
    { name: 'doubao-seed-2-0-lite-260215', upstream: 'doubao-seed-2-0-lite-260215', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 256_000, max_output_tokens: 128_000, price: { input: 0.087, output: 0.52, tiers: [{ above_input_tokens: 32_000, input: 0.13, output: 0.78 }, { above_input_tokens: 128_000, input: 0.26, output: 1.6 }] }, currency: 'USD', snapshotKey: 'volcengine/doubao-seed-2-0-lite-260215' },
    // Tiers: 0–32k 0.029/0.29, 32–128k 0.058/0.58, 128–256k 0.12/1.20.
    { name: 'doubao-seed-2-0-mini-260215', upstream: 'doubao-seed-2-0-mini-260215', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 256_000, max_output_tokens: 128_000, price: { input: 0.029, output: 0.29, tiers: [{ above_input_tokens: 32_000, input: 0.058, output: 0.58 }, { above_input_tokens: 128_000, input: 0.12, output: 1.2 }] }, currency: 'USD', snapshotKey: 'volcengine/doubao-seed-2-0-mini-260215' },
    // Tiers: 0–32k 0.46/2.30, 32–128k 0.70/3.50, 128–256k 1.40/7.00.
    { name: 'doubao-seed-2-0-code-preview-260215', upstream: 'doubao-seed-2-0-code-preview-260215', capabilities: ['chat', 'tools', 'vision', 'reasoning'], context_window: 256_000, max_output_tokens: 128_000, price: { input: 0.46, output: 2.3, tiers: [{ above_input_tokens: 32_000, input: 0.7, output: 3.5 }, { above_input_tokens: 128_000, input: 1.4, output: 7 }] }, currency: 'USD', snapshotKey: 'volcengine/doubao-seed-2-0-code-preview-260215' },
    { name: 'doubao-embedding-text-240715', upstream: 'doubao-embedding-text-240715', capabilities: ['embeddings'], context_window: 4096, currency: 'USD', snapshotKey: 'doubao-embedding-text-240715' },
    { name: 'doubao-embedding-large-text-250515', upstream: 'doubao-embedding-large-text-250515', capabilities: ['embeddings'], context_window: 4096, currency: 'USD', snapshotKey: 'doubao-embedding-large-text-250515' },
  ],
};
