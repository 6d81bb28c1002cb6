import type { CatalogVendor } from '../types.js';

/**
 * CATALOG.md §14. Baichuan refocused on healthcare in 2025: confirm the general models are still sold
 * before relying on them. No USD prices are known.
 */
export const BAICHUAN: CatalogVendor = {
  vendorId: 'baichuan',
  doc: 'CATALOG.md §14',
  models: [
    { name: 'Baichuan4-Turbo', upstream: 'Baichuan4-Turbo', capabilities: ['chat', 'tools'], currency: 'USD' },
    { name: 'Baichuan4-Air', upstream: 'Baichuan4-Air', capabilities: ['chat', 'tools'], currency: 'USD' },
    { name: 'Baichuan4', upstream: 'Baichuan4', capabilities: ['chat', 'tools'], currency: 'USD' },
    { name: 'Baichuan3-Turbo', upstream: 'Baichuan3-Turbo', capabilities: ['chat', 'tools'], currency: 'USD' },
    { name: 'Baichuan3-Turbo-128k', upstream: 'Baichuan3-Turbo-128k', capabilities: ['chat', 'tools'], currency: 'USD' },
    { name: 'Baichuan-Text-Embedding', upstream: 'Baichuan-Text-Embedding', capabilities: ['embeddings'], currency: 'USD' },
  ],
};
