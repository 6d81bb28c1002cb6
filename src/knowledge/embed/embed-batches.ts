import { BaimoError } from '../../protocol/errors.js';

/**
 * Embeds many texts through one embeddings call per batch: batches bounded by count and by
 * estimated tokens, a few batches in flight at once, each retried with jittered exponential
 * backoff (honouring retry-after) while the failure is transient — an upstream outage or a rate
 * limit. Anything else (budget exhausted, model gone, bad input) fails at once.
 */

export type EmbedCall = ((texts: string[], signal?: AbortSignal) => Promise<Float32Array[]>) & {
  /** The most texts one call may carry (the upstream's limit, e.g. DashScope 10); absent = no known limit. */
  maxBatchSize?: number;
};

export interface EmbedBatchesOptions {
  maxBatchSize?: number;
  maxBatchTokens?: number;
  concurrency?: number;
  /** Attempts per batch, first included. */
  attempts?: number;
  baseDelayMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  countTokens: (text: string) => number;
  /** Called as each batch completes (in any order): persist it, report progress. */
  onBatch: (items: { key: number; vector: Float32Array }[]) => Promise<void>;
}

export class EmbeddingFailed extends Error {
  constructor(
    override readonly cause: unknown,
    readonly transient: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export function isTransient(err: unknown): boolean {
  if (!BaimoError.is(err)) return true; // network-level surprises
  if (err.kind === 'budget') return false;
  return err.retryable || err.status === 408 || err.status === 429 || err.status >= 500;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export function planBatches(items: readonly { key: number; text: string }[], opts: Pick<EmbedBatchesOptions, 'maxBatchSize' | 'maxBatchTokens' | 'countTokens'>) {
  const maxSize = opts.maxBatchSize ?? 64;
  const maxTokens = opts.maxBatchTokens ?? 8000;
  const batches: { key: number; text: string }[][] = [];
  let current: { key: number; text: string }[] = [];
  let tokens = 0;
  for (const item of items) {
    const t = opts.countTokens(item.text);
    if (current.length > 0 && (current.length >= maxSize || tokens + t > maxTokens)) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(item);
    tokens += t;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export async function embedBatches(items: readonly { key: number; text: string }[], call: EmbedCall, opts: EmbedBatchesOptions): Promise<void> {
  const batches = planBatches(items, opts);
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 500;
  const sleep = opts.sleep ?? defaultSleep;
  let next = 0;
  let failure: { err: unknown } | undefined;

  async function runBatch(batch: { key: number; text: string }[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let vectors: Float32Array[];
      try {
        vectors = await call(batch.map((b) => b.text), opts.signal);
      } catch (err) {
        const transient = isTransient(err);
        if (!transient || attempt >= attempts || opts.signal?.aborted) throw new EmbeddingFailed(err, transient);
        const retryAfterMs = BaimoError.is(err) && err.retryAfter ? err.retryAfter * 1000 : 0;
        await sleep(Math.max(retryAfterMs, base * 2 ** (attempt - 1) * (0.5 + Math.random())), opts.signal);
        continue;
      }
      if (vectors.length !== batch.length) {
        throw new EmbeddingFailed(new Error(`The embeddings model returned ${vectors.length} vectors for ${batch.length} inputs.`), false);
      }
      // Persisting is not retried here: its failure is the job's (which resumes from the last saved batch).
      await opts.onBatch(batch.map((b, i) => ({ key: b.key, vector: vectors[i]! })));
      return;
    }
  }

  async function worker(): Promise<void> {
    while (!failure && next < batches.length) {
      const batch = batches[next++]!;
      try {
        await runBatch(batch);
      } catch (err) {
        failure ??= { err };
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 2, batches.length) }, worker));
  if (failure) throw failure.err;
}
