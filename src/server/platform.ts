import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModelConfig, PlatformConfig } from '../config/types.js';
import { createMemoryLimiter, createRedisLimiter, type Limiter } from '../limits/index.js';
import {
  buildUsageEvent,
  createRequestLogQueries,
  createRequestLogWriter,
  createUsageQueries,
  createUsageWriter,
  meteringMigrations,
  priceOf,
  registerRequestLogRoutes,
  registerTimeseriesRoute,
  registerUsageRoutes,
  startRetentionPurge,
  tokensOf,
  type RequestLogWriter,
  type UsageViewer,
  type UsageWriter,
} from '../metering/index.js';
import {
  ALERT_WEBHOOK_JOB,
  alertsMigrations,
  createAlertStore,
  createAlertWebhookHandler,
  createBudgetAlerts,
  createWebhookPoster,
  registerAlertRoutes,
  type BudgetAlerts,
} from '../alerts/index.js';
import { createJobQueue, jobsMigrations } from '../jobs/queue.js';
import { knowledgeMigrations } from '../knowledge/store/tables.js';
import { createResponseStore, responsesMigrations, startResponsePurge, type ResponseStore } from '../responses/index.js';
import type { AttemptObserver, AttemptRecord } from '../router/index.js';
import { migrate, openRedis, openStore, type Redis, type Store } from '../store/index.js';
import {
  createRequestAuthenticator,
  createTenancy,
  deriveSecretKey,
  registerTenancyRoutes,
  tenancyMigrations,
  type AuthenticateRequest,
  type Principal,
  type Tenancy,
} from '../tenancy/index.js';
import { loginThrottleSettings } from '../tenancy/login-throttle.js';
import { OTHER_ADMIN_ROUTE_DOCS } from './admin-route-docs.js';
import { priceFor } from './call-guard.js';
import { fetchPolicy } from './fetch-policy.js';
import { createLoadSpent } from './limit-scopes.js';

/**
 * The stateful half of the platform: storage (embedded SQLite or PostgreSQL), Redis in scale-out
 * mode, tenancy, limits and metering, wired together. Built by the composition root before the
 * server listens; closed after it has drained.
 */
export interface Platform {
  store: Store;
  redis?: Redis;
  tenancy: Tenancy;
  limiter: Limiter;
  usage: UsageWriter;
  requestLog: RequestLogWriter;
  /** Stored Responses-API responses, per org. */
  responses: ResponseStore;
  /** Budget alerts: the call guard reports crossings here (stored, then delivered to the org's webhook). */
  alerts: BudgetAlerts;
  authenticate: AuthenticateRequest;
  /** Records one usage event per upstream attempt (journaled before the response completes). */
  observer: AttemptObserver;
  /** Admin and tenant routes of tenancy and metering. */
  plugins: ((app: FastifyInstance) => void)[];
  /** One request-log entry per finished request. */
  logRequest(request: FastifyRequest, status: number, latencyMs: number): void;
  close(): Promise<void>;
}

export interface PlatformOptions {
  env: Record<string, string | undefined>;
  dataDir: string;
  masterKey: string;
  config: () => PlatformConfig;
  /** Published model by name (the gateway's index), for prices. */
  findModel: (name: string) => ModelConfig | undefined;
  now: () => number;
  newId: (prefix: string) => string;
  log: (message: string, err?: unknown) => void;
  /** Days of request logs to keep (BAIMO_LOG_RETENTION_DAYS, default 30). */
  retentionDays?: number;
  /** Days stored responses stay retrievable and chainable (BAIMO_RESPONSES_RETENTION_DAYS, default 30). */
  responseRetentionDays?: number;
}

export async function openPlatform(opts: PlatformOptions): Promise<Platform> {
  const { env, now } = opts;
  const store = await openStore({
    databaseUrl: env.BAIMO_DATABASE_URL || undefined,
    sqliteFile: join(opts.dataDir, 'baimo.db'),
    onError: (err) => opts.log('database connection error', err),
  });
  await migrate(store.db, store.dialect, [tenancyMigrations, meteringMigrations, responsesMigrations, jobsMigrations, knowledgeMigrations, alertsMigrations]);
  const redis = env.BAIMO_REDIS_URL ? openRedis(env.BAIMO_REDIS_URL) : undefined;

  // Journals live in this replica's own data dir; replay them before taking traffic.
  const journalDir = join(opts.dataDir, 'journal');
  const meteringLog = {
    warn: (fields: object, message: string) => opts.log(`${message} ${JSON.stringify(fields)}`),
    error: (fields: object, message: string) => opts.log(`${message} ${JSON.stringify(fields)}`),
  };
  const usage = createUsageWriter({ store, journalDir, now, log: meteringLog });
  const requestLog = createRequestLogWriter({ store, journalDir, now, log: meteringLog });
  await usage.recover();
  await requestLog.recover();
  const queries = createUsageQueries({ store, currency: () => opts.config().currency });
  const logs = createRequestLogQueries({ store });

  // Budgets survive restarts and expiry of Redis keys: spend is reloaded from metering's totals.
  const loadSpent = createLoadSpent({ queries, flush: () => usage.flush() });
  const limiter = redis ? createRedisLimiter({ redis, loadSpent }) : createMemoryLimiter({ now, loadSpent });

  const tenancy = await createTenancy({
    store,
    secretKey: deriveSecretKey(env, opts.masterKey),
    now,
    newId: opts.newId,
    randomBytes,
    redis,
    log: opts.log,
    options: { login: loginThrottleSettings(env) },
  });
  const authenticate = createRequestAuthenticator({ tenancy, masterKey: opts.masterKey });
  const viewer = async (request: FastifyRequest): Promise<UsageViewer> => toViewer(await authenticate(request));

  // Alerts are rare; their deliveries share the durable job queue's table with ingestion jobs.
  const alertStore = createAlertStore({ store, now, newId: opts.newId });
  const webhookUrlOf = (orgId: string) => tenancy.alertWebhookUrl(orgId).catch(() => undefined);
  const alertQueue = createJobQueue({ store, now, newId: opts.newId, log: opts.log, concurrency: 2, maxAttempts: 5, exclusive: store.dialect === 'sqlite' });
  const alerts = createBudgetAlerts({ alerts: alertStore, queue: alertQueue, webhookUrlOf, currency: () => opts.config().currency, log: opts.log });
  await alertQueue.start({
    [ALERT_WEBHOOK_JOB]: createAlertWebhookHandler({ alerts: alertStore, webhookUrlOf, post: createWebhookPoster(fetchPolicy(env)), log: opts.log }),
  });

  const retention = startRetentionPurge({ store, retentionDays: opts.retentionDays ?? 30, now });
  const responses = createResponseStore({ store, now, retentionDays: opts.responseRetentionDays ?? 30 });
  const responsesPurge = startResponsePurge({ responses, log: opts.log });

  return {
    store,
    redis,
    tenancy,
    limiter,
    usage,
    requestLog,
    responses,
    alerts,
    authenticate,
    observer: {
      attemptFinished(record: AttemptRecord) {
        const model = opts.findModel(record.model);
        usage.record(buildUsageEvent(record, { price: model ? priceFor(model, record.deploymentId) : undefined, currency: opts.config().currency }));
      },
    },
    plugins: [
      (app) => registerTenancyRoutes(app, { tenancy, authorize: authenticate, documented: OTHER_ADMIN_ROUTE_DOCS }),
      (app) => registerUsageRoutes(app, { queries, authorize: viewer, now }),
      (app) => registerRequestLogRoutes(app, { logs, authorize: viewer }),
      (app) => registerTimeseriesRoute(app, { store, authorize: viewer, now }),
      (app) => registerAlertRoutes(app, { alerts: alertStore, authorize: viewer }),
    ],
    logRequest(request, status, latencyMs) {
      const call = request.call;
      if (!call) return;
      const principal = request.principal as Principal | undefined;
      const key = principal?.kind === 'key' ? principal : undefined;
      const model = opts.findModel(call.model);
      const priced = call.usage && model ? priceOf(call.deploymentId ? priceFor(model, call.deploymentId) : model.price, tokensOf(call.usage)) : undefined;
      requestLog.record(
        {
          requestId: request.id,
          ts: now() - latencyMs,
          orgId: call.tenant?.orgId ?? null,
          keyId: call.tenant?.keyId ?? null,
          endpoint: call.endpoint,
          model: call.model,
          deploymentId: call.deploymentId ?? null,
          provider: call.deploymentId ? model?.deployments.find((d) => d.id === call.deploymentId)?.provider ?? null : null,
          status: call.errorCode && status < 400 ? 502 : status,
          errorCode: call.errorCode ?? null,
          errorMessage: call.errorMessage ?? null,
          latencyMs,
          inputTokens: call.usage?.prompt_tokens ?? null,
          outputTokens: call.usage?.completion_tokens ?? null,
          cost: priced && !priced.unpriced ? priced.cost : null,
          stream: call.stream,
        },
        { logBodies: key?.logBodies === true, requestBody: request.body, responseBody: call.responseBody },
      );
    },
    async close() {
      retention.stop();
      await responsesPurge.stop();
      await alerts.idle();
      await alertQueue.stop();
      await usage.close();
      await requestLog.close();
      await tenancy.close();
      await limiter.close();
      redis?.disconnect();
      await store.close();
    },
  };
}

function toViewer(p: Principal): UsageViewer {
  if (p.kind === 'operator') return { kind: 'operator' };
  if (p.kind === 'key') return { kind: 'key', orgId: p.orgId, keyId: p.keyId };
  return { kind: 'user', orgIds: p.roles.map((r) => r.orgId) };
}
