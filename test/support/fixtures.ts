import type { DeploymentConfig, ModelConfig, RoutingConfig, TimeoutsConfig } from '../../src/config/types.js';

/** Deterministic PRNG (mulberry32) so routing tests are repeatable. */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TIMEOUTS: TimeoutsConfig = { connect_ms: 1000, first_byte_ms: 2000, idle_ms: 2000, total_ms: 10000 };

export function deployment(id: string, over: Partial<DeploymentConfig> = {}): DeploymentConfig {
  return { id, provider: over.provider ?? 'p', model: `up-${id}`, weight: 1, priority: 0, tags: {}, timeouts: TIMEOUTS, ...over };
}

export function model(deployments: DeploymentConfig[], over: Partial<ModelConfig> = {}): ModelConfig {
  return { name: 'm', capabilities: ['chat'], owned_by: 'test', deployments, ...over };
}

export const ROUTING: RoutingConfig = {
  strategy: 'priority-weighted',
  retries: 2,
  backoff_base_ms: 100,
  backoff_max_ms: 2000,
  failure_threshold: 3,
  cooldown_ms: 10_000,
};

/** A manual clock: tests advance time explicitly. */
export function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
