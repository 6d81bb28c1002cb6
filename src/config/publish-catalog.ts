/**
 * Built-in catalog → providers and models, with no YAML: for each catalog vendor whose key variable
 * (KindInfo.envKey, e.g. DEEPSEEK_API_KEY) is set and non-empty, publish
 *   - a provider named after the vendor id, unless baimo.yaml defines a provider of that name (then
 *     the file's provider serves the catalog models, with its base_url, key and timeouts), and
 *   - every catalog model of that vendor, unless baimo.yaml defines a model of that name: the file
 *     always wins, model by model.
 * Catalog prices are USD; with `currency: CNY` catalog models are published without prices (and a
 * warning) rather than billed in the wrong currency.
 * A published Bedrock provider takes its region from AWS_REGION / AWS_DEFAULT_REGION, as a file
 * provider without `region` or `base_url` does (config/aws-provider.ts); with neither set the
 * vendor is skipped with a warning, not a failed start.
 */
import type { CatalogVendor } from '../providers/catalog/index.js';
import type { Capability, DeploymentConfig, ModelConfig, PriceConfig, ProviderConfig, TimeoutsConfig } from './types.js';
import type { KindInfo, ResolveKind } from './kinds.js';
import type { Env } from './expand-env.js';
import { ConfigWarning, emitWarning, type WarnFn } from './errors.js';
import { DEFAULT_TIMEOUTS } from './defaults.js';
import { AWS_REGION_PATTERN, bedrockBaseUrl, regionFromEnv } from './aws-provider.js';

export interface PublishCatalogInput {
  catalog: readonly CatalogVendor[];
  env: Env;
  resolveKind: ResolveKind;
  currency: string;
  /** Providers already defined by the file, by name (their timeouts apply to catalog deployments). */
  fileProviders: ReadonlyMap<string, ProviderConfig>;
  /** Model names the file defines; catalog models of those names are not published. */
  fileModelNames: ReadonlySet<string>;
  /** Where warnings point (the config file, or `defaults`). */
  source: string;
  warn: WarnFn;
}

export interface PublishedCatalog {
  providers: ProviderConfig[];
  models: ModelConfig[];
}

export function publishCatalog(input: PublishCatalogInput): PublishedCatalog {
  const providers: ProviderConfig[] = [];
  const models: ModelConfig[] = [];
  const taken = new Set(input.fileModelNames);
  let currencyWarned = false;

  for (const vendor of input.catalog) {
    const info = input.resolveKind(vendor.vendorId);
    if (info?.envKey === undefined) continue;
    const apiKey = input.env[info.envKey];
    if (apiKey === undefined || apiKey === '') continue;

    let provider = input.fileProviders.get(vendor.vendorId);
    if (provider === undefined) {
      const endpoint = catalogEndpoint(vendor.vendorId, info, input.env);
      if ('unavailable' in endpoint) {
        // Quiet when the file already serves this kind under another name: the variable is likely its key.
        const servedByFile = [...input.fileProviders.values()].some((p) => p.kind === vendor.vendorId);
        if (!servedByFile) emitWarning(input.warn, new ConfigWarning('env', info.envKey, endpoint.unavailable));
        continue;
      }
      provider = {
        name: vendor.vendorId,
        kind: vendor.vendorId,
        base_url: endpoint.base_url.replace(/\/+$/, ''),
        api_key: apiKey,
        headers: {},
        timeouts: { ...DEFAULT_TIMEOUTS },
        ...(endpoint.region === undefined ? {} : { region: endpoint.region }),
      };
      providers.push(provider);
    }

    for (const model of vendor.models) {
      if (taken.has(model.name)) continue;
      taken.add(model.name);
      const priced = model.price !== undefined && model.currency === input.currency;
      if (model.price !== undefined && !priced && !currencyWarned) {
        currencyWarned = true;
        emitWarning(
          input.warn,
          new ConfigWarning(input.source, 'currency', `is ${input.currency} but built-in catalog prices are ${model.currency}: catalog models are published without prices; set prices in baimo.yaml`),
        );
      }
      models.push(catalogModel(model, vendor.vendorId, provider.timeouts, priced ? model.price : undefined));
    }
  }
  return { providers, models };
}

/**
 * Where a provider published for a catalog vendor lives (plus the region, for kinds that sign or
 * build URLs with one), or why it cannot be published: the warning text, after the variable name.
 */
function catalogEndpoint(vendorId: string, info: KindInfo, env: Env): { base_url: string; region?: string } | { unavailable: string } {
  if (info.family === 'bedrock') {
    const region = regionFromEnv(env);
    if (region === undefined) {
      return { unavailable: `is set but neither AWS_REGION nor AWS_DEFAULT_REGION is; set AWS_REGION (e.g. us-east-1) to publish Bedrock's models, or define provider '${vendorId}' with a region` };
    }
    // The variable goes into a URL: only a region id may (the file's `region` is checked the same way).
    if (!AWS_REGION_PATTERN.test(region)) return { unavailable: `is set but the region '${region}' (AWS_REGION / AWS_DEFAULT_REGION) is not an AWS region such as us-east-1; Bedrock's models are not published` };
    return { base_url: bedrockBaseUrl(region), region };
  }
  if (info.defaultBaseUrl === undefined) {
    return { unavailable: `is set but kind '${vendorId}' has no default base URL; define provider '${vendorId}' with a base_url to publish its models` };
  }
  return { base_url: info.defaultBaseUrl };
}

function catalogModel(
  model: CatalogVendor['models'][number],
  providerName: string,
  timeouts: TimeoutsConfig,
  price: PriceConfig | undefined,
): ModelConfig {
  const deployment: DeploymentConfig = {
    id: `${model.name}#0`,
    provider: providerName,
    model: model.upstream,
    weight: 1,
    priority: 0,
    tags: {},
    timeouts: { ...timeouts },
  };
  // CatalogCapability and Capability are the same union; this assignment fails to compile if they drift.
  const capabilities: Capability[] = [...model.capabilities];
  return {
    name: model.name,
    capabilities,
    ...(model.context_window === undefined ? {} : { context_window: model.context_window }),
    ...(model.max_output_tokens === undefined ? {} : { max_output_tokens: model.max_output_tokens }),
    ...(price === undefined ? {} : { price: { ...price } }),
    owned_by: providerName,
    deployments: [deployment],
  };
}
