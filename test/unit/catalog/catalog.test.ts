import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CATALOG, type CatalogModel } from '../../../src/providers/catalog/index.js';
import { CAPABILITIES } from '../../../src/config/schema.js';

/** The snapshot rows the catalog cites, copied verbatim (see test/fixtures/config/README.md). */
interface SnapshotRow {
  litellm_key: string;
  mode: string;
  max_input_tokens?: number;
  max_output_tokens?: number | null;
  usd_per_1m_input?: number | null;
  usd_per_1m_output?: number | null;
  usd_per_1m_cache_read?: number | null;
  usd_per_1m_cache_write?: number | null;
  supports?: string[];
  tiers?: { input_tokens_range: [number, number]; usd_per_1m_input: number; usd_per_1m_output: number; usd_per_1m_cache_read: number | null; usd_per_1m_cache_write?: number | null }[];
}
const snapshotPath = fileURLToPath(new URL('../../fixtures/config/catalog-snapshot-rows.json', import.meta.url));
const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as { models: SnapshotRow[] };
const rows = new Map(snapshot.models.map((row) => [row.litellm_key, row]));

const models = BUILTIN_CATALOG.flatMap((vendor) => vendor.models.map((model) => ({ vendor: vendor.vendorId, model })));
const cited = models.filter((entry): entry is { vendor: string; model: CatalogModel & { snapshotKey: string } } => entry.model.snapshotKey !== undefined);

/** Deliberate departures from the snapshot, each with its reason in the vendor file. */
const MAX_OUTPUT_EXCEPTIONS = new Set(['deepseek-v4-flash', 'deepseek-v4-pro']); // CATALOG.md §12: up to 384K
const EXTRA_CAPABILITIES: Readonly<Record<string, string[]>> = {
  'deepseek-v4-flash': ['reasoning'], // CATALOG.md §12: hybrid thinking
  'deepseek-v4-pro': ['reasoning'],
};

/**
 * Vendors whose adapter refuses `response_format` with a 400 (docs/providers.md): publishing `json`
 * for their models would promise what every call of that kind refuses.
 */
const NO_JSON_VENDORS = new Set(['anthropic', 'bedrock']);

/** Baimo capabilities implied by a snapshot row: mode plus the `supports` flags that map to one. */
function capabilitiesOf(row: SnapshotRow, vendor: string): string[] {
  const supports = new Set(row.supports ?? []);
  return [
    row.mode === 'embedding' ? 'embeddings' : 'chat',
    ...(supports.has('function_calling') ? ['tools'] : []),
    ...(supports.has('vision') ? ['vision'] : []),
    ...(supports.has('response_schema') && !NO_JSON_VENDORS.has(vendor) ? ['json'] : []),
    ...(supports.has('reasoning') ? ['reasoning'] : []),
  ];
}

describe('BUILTIN_CATALOG', () => {
  it('covers the vendors the gateway knows, once each', () => {
    const ids = BUILTIN_CATALOG.map((vendor) => vendor.vendorId);
    expect(ids).toEqual([
      'openai', 'anthropic', 'gemini', 'bedrock', 'deepseek', 'dashscope', 'qianfan', 'ark', 'hunyuan',
      'zhipu', 'moonshot', 'minimax', 'siliconflow', 'yi', 'baichuan', 'spark',
    ]);
    for (const vendor of BUILTIN_CATALOG) {
      expect(vendor.models.length, vendor.vendorId).toBeGreaterThan(0);
      expect(vendor.doc, vendor.vendorId).toMatch(/^CATALOG\.md §\d+/);
    }
  });

  it('is frozen shared data', () => {
    expect(Object.isFrozen(BUILTIN_CATALOG)).toBe(true);
    expect(Object.isFrozen(BUILTIN_CATALOG[0]?.models[0]?.price)).toBe(true);
    expect(Object.isFrozen(BUILTIN_CATALOG[0]?.models[0]?.capabilities)).toBe(true);
  });

  it('has unique public names across all vendors (one name, one model)', () => {
    const names = models.map(({ model }) => model.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('has valid capabilities, non-empty and without repeats', () => {
    for (const { model } of models) {
      expect(model.capabilities.length, model.name).toBeGreaterThan(0);
      expect(new Set(model.capabilities).size, model.name).toBe(model.capabilities.length);
      for (const capability of model.capabilities) expect(CAPABILITIES, model.name).toContain(capability);
      const embeds = model.capabilities.includes('embeddings') || model.capabilities.includes('rerank');
      const chats = model.capabilities.includes('chat');
      expect(embeds !== chats, `${model.name}: a model is either a chat model or an embedding/rerank model`).toBe(true);
    }
  });

  it('has sane numbers: positive limits, non-negative prices, USD', () => {
    for (const { model } of models) {
      expect(model.currency).toBe('USD');
      expect(model.upstream.length, model.name).toBeGreaterThan(0);
      if (model.context_window !== undefined) expect(Number.isInteger(model.context_window) && model.context_window > 0, model.name).toBe(true);
      if (model.max_output_tokens !== undefined) expect(Number.isInteger(model.max_output_tokens) && model.max_output_tokens > 0, model.name).toBe(true);
      if (model.price === undefined) continue;
      for (const value of [model.price, ...(model.price.tiers ?? [])].flatMap((p) => Object.entries(p).filter(([k]) => k !== 'tiers' && k !== 'above_input_tokens').map(([, v]) => v))) expect(value, model.name).toBeGreaterThanOrEqual(0);
      if (model.capabilities.includes('chat') && model.price.input > 0) expect(model.price.output, model.name).toBeGreaterThan(0);
    }
  });

  it('cites only snapshot rows that exist', () => {
    expect(cited.map(({ model }) => model.snapshotKey).filter((key) => !rows.has(key))).toEqual([]);
  });

  it('has a positive output price wherever the snapshot has one', () => {
    for (const { model } of cited) {
      const row = rows.get(model.snapshotKey);
      const snapshotOutput = row?.tiers?.[0]?.usd_per_1m_output ?? row?.usd_per_1m_output ?? 0;
      if (snapshotOutput > 0) expect(model.price?.output ?? 0, model.name).toBeGreaterThan(0);
    }
  });

  it('matches the snapshot: lowest-tier prices, context window, max output, capabilities', () => {
    for (const { vendor, model } of cited) {
      const row = rows.get(model.snapshotKey);
      if (row === undefined) continue;
      const tier = row.tiers?.[0];
      const input = tier?.usd_per_1m_input ?? row.usd_per_1m_input ?? 0;
      const output = tier?.usd_per_1m_output ?? row.usd_per_1m_output ?? 0;
      const cached = tier === undefined ? row.usd_per_1m_cache_read : tier.usd_per_1m_cache_read;
      const cacheWrite = tier === undefined ? row.usd_per_1m_cache_write : tier.usd_per_1m_cache_write;
      if (model.price === undefined) {
        // Only rows whose prices are all zero (missing data, e.g. Ark embeddings) may be left unpriced.
        expect(input + output, model.name).toBe(0);
      } else {
        expect(model.price.input, model.name).toBe(input);
        expect(model.price.output, model.name).toBe(output);
        expect(model.price.cached_input, model.name).toBe(cached ?? undefined);
        // Tiers above the lowest one, billed by input length (the lowest is the base price).
        const higher = (row.tiers ?? []).slice(1).map((t) => ({
          above_input_tokens: t.input_tokens_range[0],
          input: t.usd_per_1m_input,
          output: t.usd_per_1m_output,
          ...(t.usd_per_1m_cache_read != null ? { cached_input: t.usd_per_1m_cache_read } : {}),
          ...(t.usd_per_1m_cache_write ? { cache_write: t.usd_per_1m_cache_write } : {}),
        }));
        expect(model.price.tiers ?? [], model.name).toEqual(higher);
        // A 0 cache-write price in the snapshot means "not billed apart" (DeepSeek): no cache_write.
        expect(model.price.cache_write, model.name).toBe(cacheWrite || undefined);
      }
      expect(model.context_window, model.name).toBe(row.max_input_tokens);
      if (!MAX_OUTPUT_EXCEPTIONS.has(model.name)) expect(model.max_output_tokens, model.name).toBe(row.max_output_tokens ?? undefined);
      const expected = [...capabilitiesOf(row, vendor), ...(EXTRA_CAPABILITIES[model.name] ?? [])];
      expect([...model.capabilities].sort(), model.name).toEqual([...new Set(expected)].sort());
    }
  });

  it('cites the snapshot for every model of a vendor the snapshot covers, unless the snapshot lacks it', () => {
    const snapshotVendors = ['openai', 'anthropic', 'gemini', 'bedrock', 'deepseek', 'dashscope', 'ark', 'zhipu', 'moonshot', 'minimax'];
    // Named in CATALOG.md but absent from the snapshot; their numbers (if any) come from CATALOG.md.
    const notInSnapshot = new Set(['text-embedding-v4', 'qwen3-rerank', 'gte-rerank-v2', 'embedding-3', 'zhipu-rerank', 'MiniMax-M2.7']);
    for (const { vendor, model } of models) {
      if (snapshotVendors.includes(vendor) && !notInSnapshot.has(model.name)) expect(model.snapshotKey, model.name).toBeDefined();
    }
  });
});
