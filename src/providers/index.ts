import type { KindInfo } from '../config/kinds.js';
import type { ProviderConfig } from '../config/types.js';
import type { Adapter } from './adapter.js';
import { createAnthropicAdapter } from './anthropic/index.js';
import { bedrockEmbeddingMaxInputs, createBedrockAdapter } from './bedrock/index.js';
import { createGeminiAdapter } from './gemini/index.js';
import { VENDORS, createOpenAICompatibleAdapter, findVendor, maxEmbeddingInputsOf } from './openai-compatible/index.js';
import { LOCAL_KIND, LOCAL_VENDOR } from './local/index.js';

/**
 * The provider registry, derived from the vendor table plus the native families: a provider
 * `kind` resolves to its wire family, vendor entry, default base URL and key variable. Config
 * validation and adapter selection both go through `resolveKind`, so they cannot disagree.
 */

const NATIVE: Record<string, KindInfo> = {
  anthropic: { family: 'anthropic', vendorId: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com', envKey: 'ANTHROPIC_API_KEY' },
  gemini: { family: 'gemini', vendorId: 'gemini', defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta', envKey: 'GEMINI_API_KEY' },
  // CATALOG.md §5; `{region}` is filled in by config/aws-provider.ts, which also reads the AWS_* variables.
  bedrock: { family: 'bedrock', vendorId: 'bedrock', defaultBaseUrl: 'https://bedrock-runtime.{region}.amazonaws.com', envKey: 'AWS_BEARER_TOKEN_BEDROCK' },
  local: LOCAL_KIND,
};

export function resolveKind(kind: string): KindInfo | undefined {
  const native = NATIVE[kind];
  if (native) return native;
  const vendor = findVendor(kind);
  if (!vendor) return undefined;
  return {
    family: 'openai-compatible',
    vendorId: vendor.id,
    defaultBaseUrl: vendor.defaultBaseUrl ?? undefined,
    envKey: vendor.envKey ?? undefined,
  };
}

/** Every kind an operator may write in baimo.yaml. */
export function knownKinds(): string[] {
  return [...Object.keys(NATIVE), ...VENDORS.map((v) => v.id)];
}

/**
 * Most texts one embeddings request to a provider of `kind` may carry, from the vendor table
 * (CATALOG.md: OpenAI ≤2048 ≈, DashScope ≤10, Qianfan ≤16); with `upstreamModel`, that model's own
 * limit where it differs (Qianfan `tao-8k` 1, DashScope `text-embedding-v1`/`-v2` 25), and for
 * Bedrock the model's per-call cap (Titan 1, Cohere 96; the gateway splits longer requests, but a
 * batching caller that respects it retries one text, not a whole batch). `undefined`: no limit
 * stated (other native families, engines, unknown kinds); the caller keeps its own batch size.
 */
export function embeddingBatchLimit(kind: string, upstreamModel?: string): number | undefined {
  if (kind === 'bedrock') return upstreamModel === undefined ? undefined : bedrockEmbeddingMaxInputs(upstreamModel);
  const vendor = findVendor(kind);
  return vendor ? maxEmbeddingInputsOf(vendor, upstreamModel) : undefined;
}

export interface AdapterRegistry {
  adapterFor(provider: ProviderConfig): Adapter;
}

/**
 * Adapters are stateless transforms: one instance per kind, built on first use. `now` (epoch ms)
 * dates SigV4 signatures (bedrock); the composition root passes its clock.
 */
export function createAdapterRegistry(deps: { now?: () => number } = {}): AdapterRegistry {
  const cache = new Map<string, Adapter>();
  const build = (kind: string): Adapter => {
    if (kind === 'anthropic') return createAnthropicAdapter();
    if (kind === 'gemini') return createGeminiAdapter();
    if (kind === 'bedrock') return createBedrockAdapter({ now: deps.now });
    // The in-process engine speaks OpenAI's wire format: the shared adapter with its own entry.
    if (kind === LOCAL_VENDOR.id) return createOpenAICompatibleAdapter(LOCAL_VENDOR);
    const vendor = findVendor(kind);
    // Config validation already refused unknown kinds; reaching this is a bug.
    if (!vendor) throw new Error(`No adapter for provider kind '${kind}'.`);
    return createOpenAICompatibleAdapter(vendor);
  };
  return {
    adapterFor(provider) {
      let adapter = cache.get(provider.kind);
      if (!adapter) {
        adapter = build(provider.kind);
        cache.set(provider.kind, adapter);
      }
      return adapter;
    },
  };
}

export type { Adapter, UpstreamTarget, HttpRequestSpec, DecodeContext, StreamDecoder } from './adapter.js';
export { findVendor } from './openai-compatible/index.js';
export { createLocalUpstream } from './local/index.js';
export type { LocalUpstream } from './local/index.js';
