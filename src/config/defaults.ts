/**
 * Defaults applied when baimo.yaml (or its absence) leaves a field out; docs/configuration.md lists
 * them. Frozen: the loader copies them into each config, and nobody may change them for everyone.
 */
import type { EngineConfig, RoutingConfig, ServerConfig, TimeoutsConfig } from './types.js';

export const DEFAULT_TIMEOUTS: Readonly<TimeoutsConfig> = Object.freeze({
  connect_ms: 5_000,
  first_byte_ms: 120_000,
  idle_ms: 60_000,
  total_ms: 600_000,
});

export const DEFAULT_SERVER: Readonly<ServerConfig> = Object.freeze({
  // A gateway is meant to be reached from other hosts and containers; every route needs a key.
  host: '0.0.0.0',
  port: 4000,
  // Chat bodies carry base64 images; 16 MiB leaves room for several while bounding memory per request.
  body_limit_bytes: 16 * 1024 * 1024,
  drain_timeout_ms: 30_000,
});

export const DEFAULT_ROUTING: Readonly<RoutingConfig> = Object.freeze({
  strategy: 'priority-weighted',
  retries: 2,
  backoff_base_ms: 200,
  backoff_max_ms: 5_000,
  failure_threshold: 5,
  cooldown_ms: 30_000,
});

/**
 * `kind: local`. One sequence per model keeps memory predictable (each sequence holds its own KV
 * cache of `context_size` tokens); two loaded models fit a chat model plus an embedding model.
 */
export const DEFAULT_ENGINE: Readonly<Pick<EngineConfig, 'max_loaded_models' | 'sequences' | 'max_queue'>> = Object.freeze({
  max_loaded_models: 2,
  sequences: 1,
  max_queue: 16,
});

export const DEFAULT_CURRENCY = 'USD';
