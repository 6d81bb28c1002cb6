/**
 * The validated, resolved platform configuration (after `${ENV}` expansion, catalog merge and
 * defaults). Field names follow DESIGN.md §2a: they are a contract with operators' baimo.yaml.
 */

export type Capability = 'chat' | 'completions' | 'embeddings' | 'rerank' | 'tools' | 'vision' | 'json' | 'reasoning';

export interface TimeoutsConfig {
  /** TCP/TLS connect. */
  connect_ms: number;
  /** From request sent to first response byte (headers, then first body byte for streams). */
  first_byte_ms: number;
  /** Longest gap between two stream chunks. */
  idle_ms: number;
  /** Whole attempt, start to end. */
  total_ms: number;
}

export interface ProviderConfig {
  /** Unique name, referenced by deployments. */
  name: string;
  /** As written in config: an adapter family (`openai-compatible`, `anthropic`, `gemini`) or a catalog vendor id (`deepseek`, `vllm`, …). */
  kind: string;
  base_url: string;
  /** Resolved secret (after `${ENV}` expansion). Never logged. */
  api_key?: string;
  /** Extra static headers (e.g. Qianfan `appid`, DashScope `X-DashScope-WorkSpace`). */
  headers: Record<string, string>;
  /** Azure OpenAI dated API (`api-version` query); absent for the v1 API. */
  api_version?: string;
  /** AWS region (kind `bedrock`): the SigV4 signing region. */
  region?: string;
  /** SigV4 credentials (kind `bedrock` without a Bedrock API key). Resolved secrets; never logged. */
  aws_credentials?: AwsCredentials;
  /**
   * Kind `bedrock`: origin of the Bedrock Agent Runtime (rerank), when it cannot be derived from
   * `base_url` (a VPC endpoint or proxy serves one service). Stored without a trailing slash.
   */
  agent_runtime_url?: string;
  timeouts: TimeoutsConfig;
  /** Options of the in-process engine; present only for kinds it serves (`local`). */
  engine?: EngineConfig;
}

/**
 * The in-process GGUF engine of a `kind: local` provider (node-llama-cpp). Unset fields are
 * decided by the engine when it loads a model: `threads` from the CPU count, `context_size` from
 * the model's training context.
 */
export interface EngineConfig {
  /** llama.cpp threads per context; default max(1, cores - 1). More threads than free cores collapses throughput. */
  threads?: number;
  /** Tokens per sequence; default min(2048, the model's training context). */
  context_size?: number;
  /** Models kept loaded; the least recently used idle one is unloaded beyond this. */
  max_loaded_models: number;
  /** Requests generating at once per model (context sequences). */
  sequences: number;
  /** Requests waiting for a sequence per model; beyond it the engine answers 503 (overloaded). */
  max_queue: number;
}

/** AWS SigV4 credentials of a `bedrock` provider (config/aws-provider.ts). */
export interface AwsCredentials {
  access_key_id: string;
  secret_access_key: string;
  session_token?: string;
}

/** Prices for requests longer than `above_input_tokens` (tiered by input length: DashScope, Ark, Gemini Pro). */
export interface PriceTier extends Omit<PriceConfig, 'tiers'> {
  above_input_tokens: number;
}

export interface PriceConfig {
  /** Billing currency per 1M tokens. */
  input: number;
  output: number;
  cached_input?: number;
  /** Input written to a prompt cache (Anthropic, Bedrock, MiniMax, Zhipu: 1.25× input and up), where priced apart. */
  cache_write?: number;
  /** Output price of a call in thinking mode (it reported reasoning tokens), where priced apart from plain output. */
  reasoning?: number;
  /** Ascending by `above_input_tokens`; the last one a request's input exceeds applies, else the base prices. */
  tiers?: readonly PriceTier[];
}

export interface DeploymentConfig {
  /** Stable id: `<model>#<index>` unless given; shows in health, metrics and (later) usage. */
  id: string;
  provider: string;
  /** Upstream model id (Ark `ep-…` ids, Azure deployment names, engines' served names). */
  model: string;
  weight: number;
  /** Lower tries first. */
  priority: number;
  tags: Record<string, string>;
  /** Per-deployment caps; undefined = unlimited. */
  rpm?: number;
  tpm?: number;
  timeouts: TimeoutsConfig;
  /** Price override per deployment (else the model's). */
  price?: PriceConfig;
}

export interface ModelConfig {
  name: string;
  capabilities: Capability[];
  context_window?: number;
  max_output_tokens?: number;
  price?: PriceConfig;
  owned_by: string;
  deployments: DeploymentConfig[];
}

export type RoutingStrategy = 'priority-weighted' | 'least-latency' | 'least-busy' | 'lowest-cost';

export interface RoutingConfig {
  strategy: RoutingStrategy;
  /** Extra attempts after the first (across deployments). */
  retries: number;
  backoff_base_ms: number;
  backoff_max_ms: number;
  /** Consecutive failures that open a deployment's circuit. */
  failure_threshold: number;
  cooldown_ms: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  body_limit_bytes: number;
  /** How long SIGTERM waits for in-flight requests. */
  drain_timeout_ms: number;
}

export interface PlatformConfig {
  /** Where the config came from (file path or 'defaults'), for messages. */
  source: string;
  currency: string;
  server: ServerConfig;
  routing: RoutingConfig;
  providers: ProviderConfig[];
  models: ModelConfig[];
}
