import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/index.js';
import type { PlatformConfig } from '../config/types.js';
import { Metrics } from '../metrics/metrics.js';
import { createAdapterRegistry, createLocalUpstream, resolveKind } from '../providers/index.js';
import { registerMeteringJournalMetrics } from '../metrics/metering-journal.js';
import { registerLocalEngineMetrics } from '../metrics/local-engine.js';
import { createTransport } from '../providers/transport.js';
import type { AbortSignalLike } from '../providers/abort-like.js';
import { DeploymentStates, Gateway, ReplayStore } from '../router/index.js';
import { createApp } from './app.js';
import { createIdGenerator } from './ids.js';
import { guardCall } from './call-guard.js';
import { registerCatalogRoutes } from './routes/catalog.js';
import { openPlatform, type Platform } from './platform.js';
import { knowledgeSettings, openPlatformKnowledge } from './knowledge-wiring.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { AttemptObserver } from '../router/index.js';
import { watchStoredCredentials } from './credential-watch.js';
import { trustProxySetting } from './trust-proxy.js';

/** How soon a vendor key pasted on one replica is published on the others. */
const CREDENTIAL_POLL_MS = 2_000;

/**
 * The composition root of `baimo serve`: the only place that reads the clock, randomness and the
 * environment, builds every long-lived object, and owns the process lifecycle (SIGHUP reload,
 * SIGTERM drain). Tests call `startServer` directly with their own env and a temp data dir.
 */

export interface StartOptions {
  configPath?: string;
  port?: number;
  host?: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  logger?: boolean;
  /** Print lines for the operator (first-start master key, listen address). */
  print?: (line: string) => void;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  masterKey: string;
  config(): PlatformConfig;
  /** Re-read stored vendor keys and the config file; on error the old config stays and the error is thrown. */
  reload(): Promise<PlatformConfig>;
  /** Stop accepting, drain in-flight requests (bounded by drain_timeout_ms), close pools. */
  shutdown(): Promise<void>;
  /** Write queued usage events and request logs to the database now (tests, CLI). */
  flushUsage(): Promise<void>;
  platform: Platform;
  knowledge: Knowledge;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const print = opts.print ?? (() => {});
  // Read before anything is opened: a bad value stops the start with nothing to clean up.
  const trustProxy = trustProxySetting(opts.env);
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const masterKey = ensureMasterKey(dataDir, opts.env, print);
  if (!opts.env.BAIMO_SECRET_KEY) {
    print('note: BAIMO_SECRET_KEY is not set, so key hashes and stored provider credentials are keyed from the master key; set it before you ever change the master key (docs/configuration.md).');
  }

  // Vendor keys pasted in the console are stored encrypted by tenancy and published like env
  // keys; a real environment variable wins over a stored key.
  let storedVendorEnv: Record<string, string> = {};
  const load = () =>
    loadConfig({
      path: opts.configPath,
      env: { ...storedVendorEnv, ...opts.env },
      resolveKind,
      overrides: { port: opts.port, host: opts.host },
      warn: (message: string) => print(`warning: ${message}`),
    });
  let config = load();

  const now = () => Date.now();
  const random = () => Math.random();
  const newId = createIdGenerator('_');
  const states = new DeploymentStates();
  // `kind: local` providers run in-process; the transport hands their `local://` URLs to this engine.
  const localEngine = createLocalUpstream({
    provider: (name) => config.providers.find((provider) => provider.name === name),
    createLlama: async () => {
      const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
      // Prebuilt CPU binaries only: never download or compile at run time. maxThreads 0 makes each
      // context use exactly the provider's `threads`.
      return getLlama({ gpu: false, build: 'never', maxThreads: 0, logLevel: LlamaLogLevel.error, logger: (_level, message) => print(`llama.cpp: ${message.trim()}`) });
    },
    cpuCount: availableParallelism(),
    newId: createIdGenerator('-'),
    nowSeconds: () => Math.floor(Date.now() / 1000),
  });
  const transport = createTransport({ inProcess: [localEngine] });
  const metrics = new Metrics({ states, config: () => config, now, defaultMetrics: true });
  registerLocalEngineMetrics(metrics.registry, localEngine.stats);
  const adapters = createAdapterRegistry({ now });
  let gateway: Gateway | undefined;
  const findModel = (name: string) => gateway?.findModel(name);
  const platform = await openPlatform({
    env: opts.env,
    dataDir,
    masterKey,
    config: () => config,
    findModel,
    now,
    newId,
    log: (message, err) => print(`${message}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`),
    retentionDays: opts.env.BAIMO_LOG_RETENTION_DAYS ? Number(opts.env.BAIMO_LOG_RETENTION_DAYS) : undefined,
    responseRetentionDays: opts.env.BAIMO_RESPONSES_RETENTION_DAYS ? Number(opts.env.BAIMO_RESPONSES_RETENTION_DAYS) : undefined,
  });
  registerMeteringJournalMetrics(metrics.registry, { usage_events: () => platform.usage.stats(), request_logs: () => platform.requestLog.stats() }, now);
  const refreshStoredKeys = async () => {
    const next: Record<string, string> = {};
    const stored = await platform.tenancy.listProviderCredentials();
    credentialWatch.loaded(stored);
    for (const { provider } of stored) {
      const envKey = resolveKind(provider)?.envKey;
      const secret = envKey ? await platform.tenancy.getProviderCredential(provider) : undefined;
      if (envKey && secret) next[envKey] = secret;
    }
    storedVendorEnv = next;
  };
  const reload = async () => {
    await refreshStoredKeys();
    const next = load();
    // In-flight requests keep the model/provider objects they resolved; new ones see `next`.
    config = next;
    states.retain(next.models.flatMap((m) => m.deployments.map((d) => d.id)));
    localEngine.retain(new Set(next.providers.map((p) => p.name)));
    return next;
  };
  // Keys pasted on another replica reach this one within a poll (credential-watch.ts).
  const credentialWatch = watchStoredCredentials({
    list: () => platform.tenancy.listProviderCredentials(),
    reload,
    intervalMs: CREDENTIAL_POLL_MS,
    log: (message, err) => print(`warning: ${message}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`),
  });
  await refreshStoredKeys();
  if (Object.keys(storedVendorEnv).length > 0) config = load();

  gateway = new Gateway({
    config: () => config,
    adapterFor: adapters.adapterFor,
    transport,
    states,
    observer: fanOut(metrics, platform.observer),
    now,
    random,
    sleep: abortableSleep,
    replay: new ReplayStore(),
    decode: { newId: createIdGenerator('-'), nowSeconds: () => Math.floor(Date.now() / 1000) },
  });
  const guardDeps = {
    limiter: platform.limiter,
    warn: (message: string) => print(`warning: ${message}`),
    getOrg: (id: string) => platform.tenancy.getOrg(id),
    now,
    onBudgetAlert: platform.alerts.report,
  };
  const knowledge = await openPlatformKnowledge({
    store: platform.store,
    gateway: () => gateway!,
    config: () => config,
    guardDeps,
    dataDir,
    env: opts.env,
    now,
    newId,
    log: (message, err) => print(`${message}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`),
  });

  let ready = false;
  const app = createApp(
    {
      gateway,
      config: () => config,
      states,
      metrics,
      authenticate: platform.authenticate,
      guard: (request, model, estimate, guardOpts) => guardCall(guardDeps, request, model, estimate, guardOpts),
      plugins: [
        ...platform.plugins,
        (app) => registerCatalogRoutes(app, { gateway: gateway!, tenancy: platform.tenancy, config: () => config, reload, now }),
      ],
      responses: platform.responses,
      knowledge,
      maxUploadBytes: knowledgeSettings(opts.env).maxUploadBytes,
      usageDurable: () => platform.usage.durable(),
      onRequestDone: (request, status, latencyMs) => platform.logRequest(request, status, latencyMs),
      now,
      newId,
      isReady: () => ready,
    },
    { logger: opts.logger, trustProxy },
  );
  await app.listen({ port: config.server.port, host: config.server.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${port}`;
  await knowledge.start();
  ready = true;

  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    port,
    masterKey,
    platform,
    knowledge,
    config: () => config,
    flushUsage: async () => {
      await platform.usage.flush();
      await platform.requestLog.flush();
    },
    reload,
    shutdown() {
      closing ??= (async () => {
        ready = false;
        const drain = app.close();
        const timeout = new Promise<void>((r) => setTimeout(r, config.server.drain_timeout_ms).unref());
        await Promise.race([drain, timeout]);
        app.server.closeAllConnections();
        // Ingestion jobs stop between batches; their leases are released for a quick resume.
        await knowledge.close();
        await transport.close();
        // Usage and request logs are flushed after the last request has finished.
        credentialWatch.stop();
        await platform.close();
      })();
      return closing;
    },
  };
}

/** DESIGN.md §2: BAIMO_MASTER_KEY, else one generated on first start, stored in the data dir, printed once. */
function ensureMasterKey(dataDir: string, env: Record<string, string | undefined>, print: (line: string) => void): string {
  const fromEnv = env.BAIMO_MASTER_KEY?.trim();
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `sk-bm-master-${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  print(`Generated a platform master key (stored in ${file}; shown only now):\n\n    ${key}\n`);
  return key;
}

function abortableSleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolveSleep) => {
    if (signal?.aborted) return resolveSleep();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolveSleep();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Every observer sees every attempt (metrics, then metering). */
function fanOut(...observers: AttemptObserver[]): AttemptObserver {
  const starters = observers.filter((o) => o.attemptStarted);
  return {
    // Only when someone listens: the lease then skips building the notice on every attempt.
    ...(starters.length > 0 && { attemptStarted: (info) => starters.forEach((o) => o.attemptStarted!(info)) }),
    attemptFinished: (record) => observers.forEach((o) => o.attemptFinished(record)),
  };
}
