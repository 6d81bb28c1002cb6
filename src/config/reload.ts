/**
 * Hot reload (SIGHUP, admin API): load again, keep the running config when the new one is invalid,
 * and say what changed so the caller can log it and tell whether a restart is needed.
 */
import type { PlatformConfig } from './types.js';
import { ConfigError } from './errors.js';
import { loadConfig, type LoadConfigOptions } from './load.js';

export interface NamedChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface ConfigChanges {
  providers: NamedChanges;
  models: NamedChanges;
  routing: boolean;
  currency: boolean;
  server: boolean;
  /** host, port and body limit are fixed when the listener is created. */
  restartRequired: boolean;
  /** One line per change, for logs: `model added: qwen3-8b`. Never includes secrets. */
  summary: string[];
}

export type ReloadResult =
  | { ok: true; config: PlatformConfig; changes: ConfigChanges }
  | { ok: false; error: ConfigError; config: PlatformConfig };

export interface ConfigReloader {
  current(): PlatformConfig;
  /** Never throws a ConfigError: on failure the previous config stays current. */
  reload(next?: Partial<Pick<LoadConfigOptions, 'env' | 'overrides'>>): ReloadResult;
}

/** Loads once (a ConfigError here stops the start) and returns a reloader around the result. */
export function createConfigReloader(opts: LoadConfigOptions, load: (opts: LoadConfigOptions) => PlatformConfig = loadConfig): ConfigReloader {
  let options = opts;
  let config = load(options);
  return {
    current: () => config,
    reload(next) {
      const candidate = { ...options, ...next };
      try {
        const loaded = load(candidate);
        const changes = diffConfigs(config, loaded);
        config = loaded;
        options = candidate;
        return { ok: true, config, changes };
      } catch (error) {
        if (error instanceof ConfigError) return { ok: false, error, config };
        throw error;
      }
    },
  };
}

export function diffConfigs(previous: PlatformConfig, next: PlatformConfig): ConfigChanges {
  const providers = diffNamed(previous.providers, next.providers);
  const models = diffNamed(previous.models, next.models);
  const routing = !same(previous.routing, next.routing);
  const currency = previous.currency !== next.currency;
  const server = !same(previous.server, next.server);
  const restartRequired =
    previous.server.host !== next.server.host ||
    previous.server.port !== next.server.port ||
    previous.server.body_limit_bytes !== next.server.body_limit_bytes;
  const summary = [
    ...describe('provider', providers),
    ...describe('model', models),
    ...(routing ? ['routing changed'] : []),
    ...(currency ? [`currency changed: ${previous.currency} → ${next.currency}`] : []),
    ...(server ? [`server changed${restartRequired ? ' (restart required for host, port or body limit)' : ''}`] : []),
  ];
  return { providers, models, routing, currency, server, restartRequired, summary };
}

function diffNamed<T extends { name: string }>(previous: readonly T[], next: readonly T[]): NamedChanges {
  const before = new Map(previous.map((item) => [item.name, item]));
  const after = new Map(next.map((item) => [item.name, item]));
  return {
    added: [...after.keys()].filter((name) => !before.has(name)),
    removed: [...before.keys()].filter((name) => !after.has(name)),
    changed: [...after.entries()].filter(([name, item]) => before.has(name) && !same(before.get(name), item)).map(([name]) => name),
  };
}

function describe(noun: string, changes: NamedChanges): string[] {
  return [
    ...changes.added.map((name) => `${noun} added: ${name}`),
    ...changes.removed.map((name) => `${noun} removed: ${name}`),
    ...changes.changed.map((name) => `${noun} changed: ${name}`),
  ];
}

/** Config objects are plain data built in a fixed key order, so JSON equality is structural equality. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
