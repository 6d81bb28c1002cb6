import { parseByteSize } from '../config/byte-size.js';
import { createDocumentFetcher } from '../knowledge/ingest/fetch-document.js';
import { openKnowledge, type Knowledge } from '../knowledge/knowledge.js';
import { modelNotFound } from '../protocol/errors.js';
import type { Gateway } from '../router/index.js';
import { estimateTextTokens } from '../router/estimate.js';
import type { Store } from '../store/index.js';
import type { PlatformConfig } from '../config/types.js';
import type { EmbedCall } from '../knowledge/embed/embed-batches.js';
import { embeddingBatchLimit } from '../providers/index.js';
import type { Usage } from '../protocol/chat.js';
import { guardOrgCall, type CallGuardDeps } from './call-guard.js';
import { fetchPolicy } from './fetch-policy.js';
import { asUsage } from './model-call.js';

/**
 * Knowledge bases, wired to the platform: ingestion embeds through the gateway's own embeddings
 * path under the org's limits and budget (so it is metered like any call), and tenant URLs are
 * fetched through the SSRF guard. Settings come from the environment (docs/knowledge.md).
 */
export interface KnowledgeWiring {
  store: Store;
  gateway: () => Gateway;
  config: () => PlatformConfig;
  guardDeps: CallGuardDeps;
  dataDir: string;
  env: Record<string, string | undefined>;
  now: () => number;
  newId: (prefix: string) => string;
  log: (message: string, err?: unknown) => void;
}

export function knowledgeSettings(env: Record<string, string | undefined>) {
  const num = (name: string, fallback: number) => {
    if (!env[name]) return fallback;
    const n = Number(env[name]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: '${env[name]}' is not a positive number.`);
    return n;
  };
  const maxUpload = env.BAIMO_KB_MAX_UPLOAD ? parseByteSize(env.BAIMO_KB_MAX_UPLOAD) : 50 * 1024 * 1024;
  if (maxUpload === undefined) throw new Error(`BAIMO_KB_MAX_UPLOAD: '${env.BAIMO_KB_MAX_UPLOAD}' is not a size (e.g. 50mb).`);
  return {
    maxUploadBytes: maxUpload,
    workers: num('BAIMO_KB_WORKERS', 2),
    embedConcurrency: num('BAIMO_KB_EMBED_CONCURRENCY', 2),
    leaseMs: num('BAIMO_KB_JOB_LEASE_MS', 15_000),
    cacheMaxKbs: num('BAIMO_KB_CACHE_MAX_KBS', 256),
    cacheMaxChunks: num('BAIMO_KB_CACHE_MAX_CHUNKS', 2_000_000),
    fetch: {
      maxBytes: maxUpload,
      timeoutMs: num('BAIMO_KB_FETCH_TIMEOUT_MS', 30_000),
      ...fetchPolicy(env),
    },
  };
}

export function openPlatformKnowledge(w: KnowledgeWiring): Promise<Knowledge> {
  const settings = knowledgeSettings(w.env);
  const fetchDocument = createDocumentFetcher(settings.fetch);
  return openKnowledge({
    store: w.store,
    indexDir: w.dataDir,
    now: w.now,
    newId: w.newId,
    log: w.log,
    workers: settings.workers,
    embedConcurrency: settings.embedConcurrency,
    leaseMs: settings.leaseMs,
    cacheMaxKbs: settings.cacheMaxKbs,
    cacheMaxChunks: settings.cacheMaxChunks,
    fetchUrl: (url) => fetchDocument(url),
    embedFor: (orgId, modelName) => {
      const call: EmbedCall = async (texts, signal) => {
      const gateway = w.gateway();
      const model = gateway.findModel(modelName);
      if (!model) throw modelNotFound(modelName);
      const guard = await guardOrgCall(w.guardDeps, orgId, model, { inputTokens: estimateTextTokens(texts), maxOutputTokens: 0 }, { requestId: w.newId('req'), signal });
      let usage: Usage | undefined;
      try {
        const res = await gateway.embeddings({ model: model.name, input: texts, extra: {} }, guard.ctx);
        usage = asUsage(res.usage);
        const vectors = new Array<Float32Array | undefined>(texts.length);
        for (const d of res.data) vectors[d.index] = Float32Array.from(d.embedding);
        // Fewer vectors than inputs (or stray indexes): the caller refuses a short answer by its length.
        return vectors.filter((v): v is Float32Array => v !== undefined);
      } finally {
        await guard.settle(usage).catch((err: unknown) => guard.onSettleError(err));
      }
      };
      call.maxBatchSize = batchLimitOf(w.config(), modelName);
      return call;
    },
  });
}

/** The smallest embeddings batch any deployment of the model accepts (the router may pick any of them). */
function batchLimitOf(config: PlatformConfig, modelName: string): number | undefined {
  const model = config.models.find((m) => m.name === modelName);
  const limits = (model?.deployments ?? [])
    .map((d) => {
      const kind = config.providers.find((p) => p.name === d.provider)?.kind;
      return kind ? embeddingBatchLimit(kind, d.model) : undefined;
    })
    .filter((n): n is number => n !== undefined);
  return limits.length > 0 ? Math.min(...limits) : undefined;
}
