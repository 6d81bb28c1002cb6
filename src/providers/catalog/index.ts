export { BUILTIN_CATALOG } from './catalog.js';
export type { CatalogCapability, CatalogModel, CatalogPrice, CatalogVendor } from './types.js';
