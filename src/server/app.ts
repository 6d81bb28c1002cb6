import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { invalidJson } from '../protocol/errors.js';
import { TENANCY_PUBLIC_PATHS } from '../tenancy/index.js';
import { attachClientSignal, decorateClientSignal, type AppDeps } from './context.js';
import { defaultConsoleRoot, registerConsole } from './console.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { registerAnthropicRoutes } from './routes/anthropic.js';
import { registerModelRoutes } from './routes/models.js';
import { registerOpenAIRoutes } from './routes/openai.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerResponsesRoutes } from './routes/responses.js';
import { registerKnowledgeCallRoutes } from './routes/knowledge-calls.js';
import { registerKnowledgeRoutes } from '../knowledge/routes.js';
import type { TrustProxy } from './trust-proxy.js';
import { registerUsageBarrier } from './usage-barrier.js';

/** Routes that need a credential; health and metrics stay open for probes and scrapers. */
const PROTECTED = /^\/(v1|admin)\//;
/** Under the protected prefixes but open: signing in, and the admin API's description. */
const PUBLIC = new Set(TENANCY_PUBLIC_PATHS);

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Wires the HTTP app: parsers, auth hook, routes, and the single error and not-found handlers. */
export function createApp(deps: AppDeps, opts: { logger?: boolean; trustProxy?: TrustProxy } = {}): FastifyInstance {
  const bodyLimit = () => deps.config().server.body_limit_bytes;
  const app = Fastify({
    logger: opts.logger ? { level: 'info', redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] } : false,
    bodyLimit: bodyLimit(),
    // Every request already lands in the request log (metering); per-request access lines would
    // double that and cost throughput. Errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => deps.newId('req'),
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    trustProxy: opts.trustProxy ?? false,
  });

  // Accept JSON whatever the declared content type (curl -d sends form-urlencoded), and an empty
  // body as no body (DELETE with a JSON content type). Fastify's own parser guards against
  // prototype poisoning (`__proto__` / `constructor` keys are refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  const parseBody = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parseJson(req, body as string, (err, value) => (err ? done(invalidJson(`We could not parse the JSON body of your request. (${err.message})`), undefined) : done(null, value)));
  };
  // application/json registered by name too: Fastify caches named parsers, not the catch-all.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseBody);
  app.addContentTypeParser('*', { parseAs: 'string' }, parseBody);

  decorateClientSignal(app);
  registerUsageBarrier(app, deps.usageDurable ?? (() => undefined));
  app.setErrorHandler(errorHandler(bodyLimit));
  app.setNotFoundHandler(notFoundHandler);

  // Callback style, one 'close' listener for the client signal and the request's metrics and log:
  // this hook runs on every request, and each promise and listener showed in the bench profile.
  app.addHook('onRequest', (request, reply, done) => {
    const start = deps.now();
    const abortOnClose = attachClientSignal(request, reply);
    reply.header('x-request-id', request.id);
    const route = request.routeOptions.url ?? 'unmatched';
    const raw = reply.raw;
    raw.once('close', () => {
      abortOnClose();
      const status = raw.writableFinished ? raw.statusCode : 499;
      const latencyMs = deps.now() - start;
      deps.metrics.observeRequest(route, request.baimoModel ?? '', status, latencyMs / 1000);
      // Answered with an error, or a stream ended by one after its first byte.
      const errorCode = request.errorCode ?? request.call?.errorCode;
      if (errorCode) deps.metrics.observeError(route, errorCode);
      deps.onRequestDone?.(request, status, latencyMs);
    });
    if (!PROTECTED.test(request.url) || PUBLIC.has(pathOf(request.url))) return done();
    deps.authenticate(request).then((principal) => {
      request.principal = principal;
      done();
    }, done);
  });

  registerOpsRoutes(app, deps);
  registerModelRoutes(app, deps);
  registerOpenAIRoutes(app, deps);
  registerAnthropicRoutes(app, deps);
  registerResponsesRoutes(app, deps);
  registerKnowledgeRoutes(app, { knowledge: deps.knowledge, findModel: (name) => deps.gateway.findModel(name), maxUploadBytes: deps.maxUploadBytes });
  registerKnowledgeCallRoutes(app, deps);
  for (const plugin of deps.plugins) plugin(app);
  // Last: the console's SPA fallback must not shadow any API route.
  registerConsole(app, { root: defaultConsoleRoot() });
  return app;
}
