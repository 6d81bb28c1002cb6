import type { FastifyInstance } from 'fastify';
import { deploymentHealth } from '../../router/index.js';
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

  app.get('/admin/v1/deployments/health', async () => ({
    object: 'list',
    data: deploymentHealth(deps.config(), deps.states, deps.now()),
  }));
}
