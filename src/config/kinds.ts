/**
 * What a provider `kind` means. The config loader does not own the vendor table: the composition
 * root passes a `ResolveKind` built from `providers/openai-compatible/vendors.ts` (plus the native
 * families), so config validation and the adapter registry can never disagree about a kind.
 */

/** The wire format a provider speaks; selects the adapter. */
export type AdapterFamily = 'openai-compatible' | 'anthropic' | 'gemini' | 'bedrock';

export interface KindInfo {
  family: AdapterFamily;
  /** Catalog vendor id (`deepseek`, `dashscope`, …) or the family itself for generic kinds. */
  vendorId: string;
  /** Used when a provider omits `base_url`, and for providers published from the built-in catalog. */
  defaultBaseUrl?: string;
  /**
   * Environment variable holding this vendor's key (e.g. `DEEPSEEK_API_KEY`). When it is set, the
   * vendor's catalog models are published without any YAML; it is also the fallback `api_key` of a
   * provider of this kind that omits one.
   */
  envKey?: string;
  /**
   * Served inside the gateway process (the `local` GGUF engine), not over the network: the
   * provider takes no `base_url` (it gets `<scheme>://<provider name>`, which the transport hands
   * to that engine), its deployments' `model` is a file path resolved against the config file's
   * directory, and the engine options (`threads`, `context_size`, …) apply.
   */
  inProcess?: { scheme: string };
}

/** Returns `undefined` for a kind nobody implements; the loader reports it as a config error. */
export type ResolveKind = (kind: string) => KindInfo | undefined;
