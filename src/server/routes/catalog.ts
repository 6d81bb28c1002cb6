import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PlatformConfig } from '../../config/types.js';
import { BaimoError, forbidden, invalidRequest } from '../../protocol/errors.js';
import { BUILTIN_CATALOG } from '../../providers/catalog/index.js';
import { findVendor, resolveKind } from '../../providers/index.js';
import type { Gateway } from '../../router/index.js';
import type { RouteDoc, Tenancy } from '../../tenancy/index.js';

/**
 * Operator routes behind the console's "Models & providers" page: the built-in catalog, enabling
 * a vendor by pasting its key (stored encrypted by tenancy, then published by a config reload),
 * and a one-token test call against a single deployment.
 */
export interface CatalogRouteDeps {
  gateway: Gateway;
  tenancy: Tenancy;
  config: () => PlatformConfig;
  /** Re-read stored vendor keys and the config file; throws a ConfigError and keeps the old config on failure. */
  reload: () => Promise<PlatformConfig>;
  now: () => number;
}

const NATIVE_LABELS: Record<string, string> = { anthropic: 'Anthropic', gemini: 'Google Gemini', bedrock: 'AWS Bedrock' };

const credentialSchema = z.strictObject({ api_key: z.string().trim().min(8, 'must be at least 8 characters') });

// Answers, for the OpenAPI document (loose, like tenancy's: fields may be added).
/** Per-1M-token price fields of a catalog model and of each of its tiers. */
const priceFields = {
  input: z.number(),
  output: z.number(),
  cached_input: z.number().optional(),
  cache_write: z.number().optional(),
  reasoning: z.number().optional(),
};

const catalogSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(
    z.looseObject({
      vendor: z.string(),
      kind: z.string().describe('Wire family: openai-compatible, anthropic, gemini, …'),
      label: z.string(),
      env_key: z.string().nullable().describe('The environment variable that enables the vendor'),
      enabled: z.boolean().describe('A provider of this name is published'),
      key_stored: z.boolean().describe('A key pasted in the console is stored (encrypted)'),
      models: z.array(
        z.looseObject({
          name: z.string(),
          capabilities: z.array(z.string()),
          context_window: z.int().nullable(),
          price: z
            .looseObject({
              ...priceFields,
              tiers: z
                .array(z.looseObject({ above_input_tokens: z.int(), ...priceFields }))
                .optional()
                .describe('Prices for requests whose input is longer than above_input_tokens (the last one exceeded applies)'),
              currency: z.string(),
            })
            .nullable()
            .describe('List price per 1M tokens'),
        }),
      ),
    }),
  ),
});

const testResultSchema = z.looseObject({
  ok: z.boolean(),
  status: z.int().describe("The test call's HTTP status (the route itself answers 200 either way)"),
  latency_ms: z.number(),
  error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
});

const OPERATOR_ERRORS = [401, 403] as const;

/** The routes below for the OpenAPI document; all are for the platform operator only. */
export const CATALOG_ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'GET', path: '/admin/v1/catalog', summary: 'The built-in model catalog and which vendors are enabled', tag: 'providers', response: catalogSchema, errors: OPERATOR_ERRORS },
  {
    method: 'POST',
    path: '/admin/v1/providers/{vendor}/credential',
    summary: "Store a catalog vendor's API key (encrypted) and publish its models",
    tag: 'providers',
    body: credentialSchema,
    status: 204,
    errors: [400, ...OPERATOR_ERRORS, 404],
  },
  {
    method: 'DELETE',
    path: '/admin/v1/providers/{vendor}/credential',
    summary: "Delete a vendor's stored key; its catalog models are unpublished unless the environment sets one",
    tag: 'providers',
    status: 204,
    errors: [400, ...OPERATOR_ERRORS, 404],
  },
  {
    method: 'POST',
    path: '/admin/v1/deployments/{id}/test',
    summary: 'A one-token test call against one deployment',
    tag: 'deployments',
    response: testResultSchema,
    errors: [...OPERATOR_ERRORS, 404],
  },
];

export function registerCatalogRoutes(app: FastifyInstance, deps: CatalogRouteDeps): void {
  app.get('/admin/v1/catalog', async (request) => {
    operatorOnly(request);
    const config = deps.config();
    const stored = new Set((await deps.tenancy.listProviderCredentials()).map((c) => c.provider));
    return {
      object: 'list',
      data: BUILTIN_CATALOG.map((vendor) => {
        const kind = resolveKind(vendor.vendorId);
        return {
          vendor: vendor.vendorId,
          kind: kind?.family ?? 'openai-compatible',
          label: NATIVE_LABELS[vendor.vendorId] ?? findVendor(vendor.vendorId)?.label ?? vendor.vendorId,
          env_key: kind?.envKey ?? null,
          enabled: config.providers.some((p) => p.name === vendor.vendorId),
          key_stored: stored.has(vendor.vendorId),
          models: vendor.models.map((m) => ({
            name: m.name,
            capabilities: m.capabilities,
            context_window: m.context_window ?? null,
            price: m.price ? { ...m.price, currency: m.currency } : null,
          })),
        };
      }),
    };
  });

  app.post('/admin/v1/providers/:vendor/credential', async (request, reply) => {
    operatorOnly(request);
    const vendor = catalogVendor((request.params as { vendor: string }).vendor);
    const parsed = credentialSchema.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidRequest(`Invalid value for 'api_key': ${parsed.error.issues[0]!.message}.`, 'api_key');
    await deps.tenancy.setProviderCredential(vendor, parsed.data.api_key);
    await reloadOrExplain(deps);
    return reply.code(204).send();
  });

  app.delete('/admin/v1/providers/:vendor/credential', async (request, reply) => {
    operatorOnly(request);
    const vendor = catalogVendor((request.params as { vendor: string }).vendor);
    await deps.tenancy.deleteProviderCredential(vendor);
    await reloadOrExplain(deps);
    return reply.code(204).send();
  });

  app.post('/admin/v1/deployments/:id/test', async (request) => {
    operatorOnly(request);
    const id = (request.params as { id: string }).id;
    const model = deps.config().models.find((m) => m.deployments.some((d) => d.id === id));
    if (!model) throw new BaimoError('not_found', `No deployment '${id}'.`, { status: 404, code: 'not_found', param: 'id' });
    const started = deps.now();
    const ctx = { requestId: `${request.id}-test`, signal: request.clientSignal, pinDeployment: id };
    try {
      if (model.capabilities.includes('chat')) {
        await deps.gateway.chat({ model: model.name, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, extra: {} }, ctx);
      } else if (model.capabilities.includes('embeddings')) {
        await deps.gateway.embeddings({ model: model.name, input: 'ping', extra: {} }, ctx);
      } else {
        await deps.gateway.rerank({ model: model.name, query: 'ping', documents: ['pong'], extra: {} }, ctx);
      }
      return { ok: true, status: 200, latency_ms: deps.now() - started };
    } catch (err) {
      const typed = BaimoError.is(err) ? err : undefined;
      return { ok: false, status: typed?.status ?? 500, latency_ms: deps.now() - started, error: { code: typed?.code ?? 'internal_error', message: typed?.message ?? 'Test call failed.' } };
    }
  });
}

function operatorOnly(request: FastifyRequest): void {
  if (request.principal.kind !== 'operator') throw forbidden('Only the platform operator manages providers.');
}

function catalogVendor(vendor: string): string {
  const entry = BUILTIN_CATALOG.find((v) => v.vendorId === vendor);
  if (!entry || !resolveKind(vendor)?.envKey) {
    throw new BaimoError('not_found', `No catalog vendor '${vendor}'.`, { status: 404, code: 'not_found', param: 'vendor' });
  }
  return vendor;
}

async function reloadOrExplain(deps: CatalogRouteDeps): Promise<void> {
  try {
    await deps.reload();
  } catch (err) {
    throw invalidRequest(`The configuration could not be reloaded: ${err instanceof Error ? err.message : String(err)}`, null, 'config_error');
  }
}
