import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deploymentHealth } from '../../router/index.js';
import type { RouteDoc } from '../../tenancy/index.js';
import { forbidden } from '../../protocol/errors.js';
import type { AppDeps } from '../context.js';

/** Liveness, readiness, Prometheus metrics, and the operator's deployment health view. */
export function registerOpsRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const ready = deps.isReady();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', models: deps.config().models.length });
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await deps.metrics.render();
    return reply.type(contentType).send(body);
  });

  // Operator only: rows name providers, upstream model ids and upstream error messages, which a
  // tenant must not learn (the console shows this table to the operator alone).
  app.get('/admin/v1/deployments/health', async (request) => {
    if (request.principal.kind !== 'operator') throw forbidden('Only the platform operator sees deployment health.');
    return { object: 'list', data: deploymentHealth(deps.config(), deps.states, deps.now()) };
  });
}

const nullableMs = z.number().nullable();

/** `DeploymentHealth` (router/health.ts) as a schema, for the OpenAPI document. */
const deploymentHealthSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  provider: z.string(),
  upstream_model: z.string(),
  weight: z.number(),
  priority: z.number(),
  tags: z.record(z.string(), z.string()),
  circuit: z.enum(['closed', 'open', 'half_open']),
  cooldown_remaining_s: z.number().describe('Seconds until an open circuit admits a probe'),
  available: z.boolean(),
  in_flight: z.int(),
  consecutive_failures: z.int(),
  successes: z.int(),
  failures: z.int(),
  latency_ms: z.looseObject({ ewma: nullableMs, p50: nullableMs, p95: nullableMs, samples: z.int() }),
  ttft_ms_ewma: nullableMs,
  last_error: z.looseObject({ code: z.string(), message: z.string(), at: z.string().meta({ format: 'date-time' }) }).nullable(),
});

/** The admin routes above for the OpenAPI document (health and metrics are not under /admin). */
export const OPS_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/admin/v1/deployments/health',
    summary: 'Every deployment with its circuit state, load, latency and last error (operator)',
    tag: 'deployments',
    response: z.looseObject({ object: z.literal('list'), data: z.array(deploymentHealthSchema) }),
    errors: [401, 403],
  },
];
