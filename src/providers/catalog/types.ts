/**
 * Built-in model data: what a vendor serves and what it costs, so that setting one API key
 * (e.g. `DEEPSEEK_API_KEY`) publishes that vendor's main models with no YAML at all. Wire-format
 * quirks and env-key names are not here: they belong to the vendor table and its kind resolver.
 */

/** Same values as `Capability` in config/types.ts (the config loader checks that they stay equal). */
export type CatalogCapability = 'chat' | 'completions' | 'embeddings' | 'rerank' | 'tools' | 'vision' | 'json' | 'reasoning';

/** List prices per 1M tokens in the model's `currency`. */
export interface CatalogPrice {
  input: number;
  output: number;
  cached_input?: number;
  /** Input written to a prompt cache, where the vendor prices it apart (snapshot `usd_per_1m_cache_write`). */
  cache_write?: number;
  /** Thinking-mode output where the vendor prices it apart from plain output. */
  reasoning?: number;
  /** Input-length tiers above the base (lowest) one, from the snapshot's `tiers` (see PriceConfig.tiers). */
  tiers?: readonly ({ above_input_tokens: number } & Omit<CatalogPrice, 'tiers'>)[];
}

export interface CatalogModel {
  /** Public name tenants call. Unique across the whole catalog. */
  name: string;
  /** The vendor's model id, sent upstream. */
  upstream: string;
  capabilities: readonly CatalogCapability[];
  /** Absent where neither the price snapshot nor CATALOG.md states it (never guessed). */
  context_window?: number;
  max_output_tokens?: number;
  /** Absent where no USD list price is known; operators set one in baimo.yaml. */
  price?: CatalogPrice;
  currency: 'USD';
  /** `litellm_key` of the entry in prices-snapshot-2026-07.json the numbers come from, if any. */
  snapshotKey?: string;
}

export interface CatalogVendor {
  /** Catalog id; also the provider `kind` and the name of the provider published for it. */
  vendorId: string;
  /** The providers/CATALOG.md section the data comes from. */
  doc: string;
  models: readonly CatalogModel[];
}
