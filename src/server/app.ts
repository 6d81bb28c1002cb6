import Fastify, { type FastifyInstance } from 'fastify';
import { invalidJson } from '../protocol/errors.js';
import { attachClientSignal, type AppDeps } from './context.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { registerModelRoutes } from './routes/models.js';
import { registerOpenAIRoutes } from './routes/openai.js';
import { registerOpsRoutes } from './routes/ops.js';

/** Routes that need a credential; health and metrics stay open for probes and scrapers. */
const PROTECTED = /^\/(v1|admin)\//;

/** Wires the HTTP app: parsers, auth hook, routes, and the single error and not-found handlers. */
export function createApp(deps: AppDeps, opts: { logger?: boolean } = {}): FastifyInstance {
  const bodyLimit = () => deps.config().server.body_limit_bytes;
  const app = Fastify({
    logger: opts.logger ? { level: 'info', redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] } : false,
    bodyLimit: bodyLimit(),
    genReqId: () => deps.newId('req'),
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  // Accept JSON whatever the declared content type (curl -d sends form-urlencoded).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(invalidJson(`We could not parse the JSON body of your request. (${(err as Error).message})`), undefined);
    }
  });

  app.setErrorHandler(errorHandler(bodyLimit));
  app.setNotFoundHandler(notFoundHandler);

  app.addHook('onRequest', async (request, reply) => {
    const start = deps.now();
    attachClientSignal(request, reply);
    reply.header('x-request-id', request.id);
    const route = request.routeOptions.url ?? 'unmatched';
    reply.raw.once('close', () => {
      const status = reply.raw.writableFinished ? reply.raw.statusCode : 499;
      deps.metrics.observeRequest(route, request.baimoModel ?? '', status, (deps.now() - start) / 1000);
    });
    if (PROTECTED.test(request.url)) await deps.authenticate(request);
  });

  registerOpsRoutes(app, deps);
  registerModelRoutes(app, deps);
  registerOpenAIRoutes(app, deps);
  return app;
}
