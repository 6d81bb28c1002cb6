import type { FastifyInstance } from 'fastify';
import type { ModelConfig } from '../../config/types.js';
import { modelNotFound } from '../../protocol/errors.js';
import { canSeeModel } from '../call-guard.js';
import type { AppDeps } from '../context.js';

/** `GET /v1/models` and `GET /v1/models/{id}` in OpenAI's shape, plus Baimo's own details. */
export function registerModelRoutes(app: FastifyInstance, deps: AppDeps): void {
  const created = Math.floor(deps.now() / 1000);
  const describe = (m: ModelConfig) => ({
    id: m.name,
    object: 'model' as const,
    created,
    owned_by: m.owned_by,
    capabilities: m.capabilities,
    context_window: m.context_window ?? null,
    max_output_tokens: m.max_output_tokens ?? null,
    pricing: m.price ? { currency: deps.config().currency, unit: 'per_1m_tokens', ...m.price } : null,
  });

  app.get('/v1/models', async (request) => ({
    object: 'list',
    data: deps.config().models.filter((m) => canSeeModel(request.principal, m.name)).map(describe),
  }));

  // Public names may contain '/' (e.g. `Qwen/Qwen3-8B`), hence the wildcard.
  app.get('/v1/models/*', async (request) => {
    const id = decodeURIComponent((request.params as { '*': string })['*']);
    const model = deps.gateway.findModel(id);
    if (!model || !canSeeModel(request.principal, id)) throw modelNotFound(id);
    return describe(model);
  });
}
