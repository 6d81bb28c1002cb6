/**
 * A schema-valid file (after `${ENV}` expansion) → the resolved PlatformConfig: defaults applied,
 * kinds resolved, the built-in catalog merged, and every cross-reference checked. Problems are
 * collected, not thrown, so an operator sees all of them at once.
 */
import { isAbsolute, resolve } from 'node:path';
import type { CatalogVendor } from '../providers/catalog/index.js';
import type {
  Capability,
  DeploymentConfig,
  EngineConfig,
  ModelConfig,
  PlatformConfig,
  PriceConfig,
  ProviderConfig,
  RoutingConfig,
  ServerConfig,
  TimeoutsConfig,
} from './types.js';
import type { AdapterFamily, ResolveKind } from './kinds.js';
import type { Env, PathIssue } from './expand-env.js';
import type { FileConfig, FileDeployment, FileModel, FilePrice, FileProvider, FileTimeouts } from './schema.js';
import type { KindInfo } from './kinds.js';
import type { WarnFn } from './errors.js';
import { formatConfigPath } from './errors.js';
import { didYouMean } from './closest-match.js';
import { DEFAULT_CURRENCY, DEFAULT_ENGINE, DEFAULT_ROUTING, DEFAULT_SERVER, DEFAULT_TIMEOUTS } from './defaults.js';
import { publishCatalog } from './publish-catalog.js';
import { applyAwsFields, refuseAwsFields, resolveAwsProvider } from './aws-provider.js';

export interface BuildContext {
  env: Env;
  resolveKind: ResolveKind;
  catalog: readonly CatalogVendor[];
  /** The config file path, or `defaults` when there is none. */
  source: string;
  /** Directory that relative model file paths (in-process kinds) resolve against: the config file's. */
  configDir?: string;
  warn: WarnFn;
}

const FAMILIES: readonly AdapterFamily[] = ['openai-compatible', 'anthropic', 'gemini', 'bedrock'];

/** Model owner shown on `/v1/models` for models defined in baimo.yaml without `owned_by`. */
export const DEFAULT_OWNER = 'baimo';

export function buildPlatformConfig(file: FileConfig, ctx: BuildContext): { config: PlatformConfig; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const currency = file.currency ?? DEFAULT_CURRENCY;
  const fileProviders = resolveProviders(file.providers ?? [], ctx, issues);
  const fileModels = file.models ?? [];

  const byName = new Map<string, ProviderConfig>();
  for (const provider of fileProviders) if (!byName.has(provider.name)) byName.set(provider.name, provider);
  const published = publishCatalog({
    catalog: ctx.catalog,
    env: ctx.env,
    resolveKind: ctx.resolveKind,
    currency,
    fileProviders: byName,
    fileModelNames: new Set(fileModels.map((model) => model.name)),
    source: ctx.source,
    warn: ctx.warn,
  });
  for (const provider of published.providers) byName.set(provider.name, provider);

  const models = resolveModels(fileModels, byName, ctx, issues);
  checkDeploymentIds(models, published.models, issues);

  return {
    config: {
      source: ctx.source,
      currency,
      server: resolveServer(file.server),
      routing: resolveRouting(file.routing, issues),
      providers: [...fileProviders, ...published.providers],
      models: [...models, ...published.models],
    },
    issues,
  };
}

function resolveProviders(providers: readonly FileProvider[], ctx: BuildContext, issues: PathIssue[]): ProviderConfig[] {
  const firstIndex = new Map<string, number>();
  return providers.map((provider, index) => {
    const at = ['providers', index] as const;
    const earlier = firstIndex.get(provider.name);
    if (earlier === undefined) firstIndex.set(provider.name, index);
    else issues.push({ at: [...at, 'name'], message: `duplicate provider name '${provider.name}' (first defined at providers[${earlier}])` });

    const info = ctx.resolveKind(provider.kind);
    if (info === undefined) issues.push({ at: [...at, 'kind'], message: unknownKindMessage(provider.kind, ctx) });
    else checkEngineFields(provider, info, at, issues);

    const baseUrl = info?.inProcess ? inProcessUrl(info.inProcess.scheme, provider.name) : provider.base_url ?? info?.defaultBaseUrl;
    if (baseUrl === undefined && info !== undefined) {
      issues.push({ at: [...at, 'base_url'], message: `missing required field (kind '${provider.kind}' has no default base URL)` });
    }
    const envKey = info?.envKey;
    const apiKey = provider.api_key ?? (envKey === undefined ? undefined : ctx.env[envKey]);

    const resolved: ProviderConfig = {
      name: provider.name,
      kind: provider.kind,
      // Stored without a trailing slash so adapters can append `/chat/completions` safely.
      base_url: (baseUrl ?? '').replace(/\/+$/, ''),
      headers: { ...(provider.headers ?? {}) },
      timeouts: mergeTimeouts(DEFAULT_TIMEOUTS, provider.timeouts),
    };
    if (apiKey !== undefined && apiKey !== '') resolved.api_key = apiKey;
    if (provider.api_version !== undefined) resolved.api_version = provider.api_version;
    if (info?.family === 'bedrock') applyAwsFields(resolved, resolveAwsProvider(provider, apiKey, ctx.env, at, issues));
    else refuseAwsFields(provider, at, issues);
    if (info?.inProcess) resolved.engine = resolveEngine(provider);
    return resolved;
  });
}

const ENGINE_FIELDS = ['threads', 'context_size', 'max_loaded_models', 'sequences', 'max_queue'] as const;

/** In-process kinds take engine options and no network fields; network kinds take no engine options. */
function checkEngineFields(provider: FileProvider, info: KindInfo, at: readonly (string | number)[], issues: PathIssue[]): void {
  if (info.inProcess) {
    for (const field of ['base_url', 'api_key', 'api_version'] as const) {
      if (provider[field] === undefined) continue;
      issues.push({ at: [...at, field], message: `kind '${provider.kind}' runs inside the gateway process and takes no ${field}` });
    }
    return;
  }
  for (const field of ENGINE_FIELDS) {
    if (provider[field] === undefined) continue;
    issues.push({ at: [...at, field], message: `is an option of the in-process engine (kind: local); kind '${provider.kind}' does not take it` });
  }
}

/** The transport hands `<scheme>://<provider>/…` URLs to the in-process engine (no socket). */
function inProcessUrl(scheme: string, providerName: string): string {
  return `${scheme}://${encodeURIComponent(providerName)}`;
}

function resolveEngine(provider: FileProvider): EngineConfig {
  const engine: EngineConfig = {
    max_loaded_models: provider.max_loaded_models ?? DEFAULT_ENGINE.max_loaded_models,
    sequences: provider.sequences ?? DEFAULT_ENGINE.sequences,
    max_queue: provider.max_queue ?? DEFAULT_ENGINE.max_queue,
  };
  if (provider.threads !== undefined) engine.threads = provider.threads;
  if (provider.context_size !== undefined) engine.context_size = provider.context_size;
  return engine;
}

function unknownKindMessage(kind: string, ctx: BuildContext): string {
  const candidates = [...FAMILIES, 'local', ...ctx.catalog.map((vendor) => vendor.vendorId)].filter(
    (candidate) => ctx.resolveKind(candidate) !== undefined,
  );
  return `unknown provider kind '${kind}'${didYouMean(kind, candidates)}`;
}

function resolveModels(
  models: readonly FileModel[],
  providers: ReadonlyMap<string, ProviderConfig>,
  ctx: BuildContext,
  issues: PathIssue[],
): ModelConfig[] {
  const firstIndex = new Map<string, number>();
  return models.map((model, index) => {
    const at = ['models', index] as const;
    const earlier = firstIndex.get(model.name);
    if (earlier === undefined) firstIndex.set(model.name, index);
    else issues.push({ at: [...at, 'name'], message: `duplicate model name '${model.name}' (first defined at models[${earlier}])` });

    const resolved: ModelConfig = {
      name: model.name,
      capabilities: [...new Set<Capability>(model.capabilities ?? ['chat'])],
      owned_by: model.owned_by ?? DEFAULT_OWNER,
      deployments: model.deployments.map((deployment, position) =>
        resolveDeployment(model.name, deployment, position, providers, ctx, issues, [...at, 'deployments', position]),
      ),
    };
    if (model.context_window !== undefined) resolved.context_window = model.context_window;
    if (model.max_output_tokens !== undefined) resolved.max_output_tokens = model.max_output_tokens;
    if (model.price !== undefined) resolved.price = toPrice(model.price);
    return resolved;
  });
}

function resolveDeployment(
  modelName: string,
  deployment: FileDeployment,
  position: number,
  providers: ReadonlyMap<string, ProviderConfig>,
  ctx: BuildContext,
  issues: PathIssue[],
  at: readonly (string | number)[],
): DeploymentConfig {
  const provider = providers.get(deployment.provider);
  if (provider === undefined) issues.push({ at: [...at, 'provider'], message: unknownProviderMessage(deployment.provider, providers, ctx) });

  const resolved: DeploymentConfig = {
    id: deployment.id ?? `${modelName}#${position}`,
    provider: deployment.provider,
    model: provider && ctx.resolveKind(provider.kind)?.inProcess ? modelFilePath(deployment.model, ctx) : deployment.model,
    weight: deployment.weight ?? 1,
    priority: deployment.priority ?? 0,
    tags: { ...(deployment.tags ?? {}) },
    timeouts: mergeTimeouts(provider?.timeouts ?? DEFAULT_TIMEOUTS, deployment.timeouts),
  };
  if (deployment.rpm !== undefined) resolved.rpm = deployment.rpm;
  if (deployment.tpm !== undefined) resolved.tpm = deployment.tpm;
  if (deployment.price !== undefined) resolved.price = toPrice(deployment.price);
  return resolved;
}

/** An in-process deployment's `model` is a GGUF path; a relative one is relative to the config file, not the cwd. */
function modelFilePath(model: string, ctx: BuildContext): string {
  if (isAbsolute(model)) return model;
  return ctx.configDir === undefined ? resolve(model) : resolve(ctx.configDir, model);
}

function unknownProviderMessage(name: string, providers: ReadonlyMap<string, ProviderConfig>, ctx: BuildContext): string {
  const known = [...providers.keys()];
  const list = known.length === 0 ? 'no providers are defined' : `known: ${known.join(', ')}`;
  let hint = didYouMean(name, known);
  const vendor = ctx.catalog.find((candidate) => candidate.vendorId === name);
  const envKey = vendor === undefined ? undefined : ctx.resolveKind(vendor.vendorId)?.envKey;
  if (hint === '' && envKey !== undefined) hint = `; set ${envKey} to publish the built-in '${name}' provider`;
  return `unknown provider '${name}' (${list})${hint}`;
}

/** Deployment ids show up in health, metrics and usage: they must be unique across all models. */
function checkDeploymentIds(fileModels: readonly ModelConfig[], catalogModels: readonly ModelConfig[], issues: PathIssue[]): void {
  const seen = new Map<string, (string | number)[]>();
  const modelNames = new Set<string>();
  fileModels.forEach((model, index) => {
    // A repeated model is already reported; its default ids (`<model>#0`) would only echo that.
    if (modelNames.has(model.name)) return;
    modelNames.add(model.name);
    model.deployments.forEach((deployment, position) => {
      const at = ['models', index, 'deployments', position, 'id'];
      const earlier = seen.get(deployment.id);
      if (earlier === undefined) seen.set(deployment.id, at);
      else issues.push({ at, message: `duplicate deployment id '${deployment.id}' (also used at ${formatConfigPath(earlier)})` });
    });
  });
  for (const model of catalogModels) {
    for (const deployment of model.deployments) {
      const earlier = seen.get(deployment.id);
      if (earlier === undefined) continue;
      issues.push({ at: earlier, message: `deployment id '${deployment.id}' is also the id of built-in catalog model '${model.name}'; choose another id` });
    }
  }
}

function mergeTimeouts(base: Readonly<TimeoutsConfig>, override: FileTimeouts | undefined): TimeoutsConfig {
  return {
    connect_ms: override?.connect_ms ?? base.connect_ms,
    first_byte_ms: override?.first_byte_ms ?? base.first_byte_ms,
    idle_ms: override?.idle_ms ?? base.idle_ms,
    total_ms: override?.total_ms ?? base.total_ms,
  };
}

function toPrice(price: FilePrice): PriceConfig {
  const resolved = tierPrices(price as TierPrices);
  const tiers = price.tiers as (TierPrices & { above_input_tokens: number })[] | undefined;
  if (tiers && tiers.length > 0) resolved.tiers = tiers.map((tier) => ({ above_input_tokens: tier.above_input_tokens, ...tierPrices(tier) }));
  return resolved;
}

/** The price fields a base price and a tier share, as validated (numbers). */
type TierPrices = Omit<PriceConfig, 'tiers'>;

function tierPrices(price: TierPrices): PriceConfig {
  const resolved: PriceConfig = { input: price.input, output: price.output };
  if (price.cached_input !== undefined) resolved.cached_input = price.cached_input;
  if (price.cache_write !== undefined) resolved.cache_write = price.cache_write;
  if (price.reasoning !== undefined) resolved.reasoning = price.reasoning;
  return resolved;
}

function resolveServer(server: FileConfig['server']): ServerConfig {
  return {
    host: server?.host ?? DEFAULT_SERVER.host,
    port: server?.port ?? DEFAULT_SERVER.port,
    body_limit_bytes: server?.body_limit_bytes ?? DEFAULT_SERVER.body_limit_bytes,
    drain_timeout_ms: server?.drain_timeout_ms ?? DEFAULT_SERVER.drain_timeout_ms,
  };
}

function resolveRouting(routing: FileConfig['routing'], issues: PathIssue[]): RoutingConfig {
  const resolved: RoutingConfig = {
    strategy: routing?.strategy ?? DEFAULT_ROUTING.strategy,
    retries: routing?.retries ?? DEFAULT_ROUTING.retries,
    backoff_base_ms: routing?.backoff_base_ms ?? DEFAULT_ROUTING.backoff_base_ms,
    backoff_max_ms: routing?.backoff_max_ms ?? DEFAULT_ROUTING.backoff_max_ms,
    failure_threshold: routing?.failure_threshold ?? DEFAULT_ROUTING.failure_threshold,
    cooldown_ms: routing?.cooldown_ms ?? DEFAULT_ROUTING.cooldown_ms,
  };
  if (resolved.backoff_max_ms < resolved.backoff_base_ms) {
    issues.push({
      at: ['routing', routing?.backoff_max_ms === undefined ? 'backoff_base_ms' : 'backoff_max_ms'],
      message: `backoff_max_ms (${resolved.backoff_max_ms}) must be ≥ backoff_base_ms (${resolved.backoff_base_ms})`,
    });
  }
  return resolved;
}
