/**
 * Built-in catalog → providers and models, with no YAML: for each catalog vendor whose key variable
 * (KindInfo.envKey, e.g. DEEPSEEK_API_KEY) is set and non-empty, publish
 *   - a provider named after the vendor id, unless baimo.yaml defines a provider of that name (then
 *     the file's provider serves the catalog models, with its base_url, key and timeouts), and
 *   - every catalog model of that vendor, unless baimo.yaml defines a model of that name: the file
 *     always wins, model by model.
 * Catalog prices are USD; with `currency: CNY` catalog models are published without prices (and a
 * warning) rather than billed in the wrong currency.
 */
import type { CatalogVendor } from '../providers/catalog/index.js';
import type { Capability, DeploymentConfig, ModelConfig, PriceConfig, ProviderConfig, TimeoutsConfig } from './types.js';
import type { ResolveKind } from './kinds.js';
import type { Env } from './expand-env.js';
import { ConfigWarning, emitWarning, type WarnFn } from './errors.js';
import { DEFAULT_TIMEOUTS } from './defaults.js';

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
      if (info.defaultBaseUrl === undefined) {
        emitWarning(
          input.warn,
          new ConfigWarning('env', info.envKey, `is set but kind '${vendor.vendorId}' has no default base URL; define provider '${vendor.vendorId}' with a base_url to publish its models`),
        );
        continue;
      }
      provider = {
        name: vendor.vendorId,
        kind: vendor.vendorId,
        base_url: info.defaultBaseUrl.replace(/\/+$/, ''),
        api_key: apiKey,
        headers: {},
        timeouts: { ...DEFAULT_TIMEOUTS },
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
