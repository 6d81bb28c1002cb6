import { Readable } from 'node:stream';
import type { Llama } from 'node-llama-cpp';
import type { ProviderConfig, TimeoutsConfig } from '../../config/types.js';
import { upstreamTimeout } from '../../protocol/errors.js';
import type { AbortSignalLike } from '../abort-like.js';
import type { HttpRequestSpec } from '../adapter.js';
import { ClientAbortError, classifyTransportError, type InProcessUpstream, type UpstreamResponse } from '../transport.js';
import { LocalEngineError, toLocalEngineError } from './engine-error.js';
import { ProviderEngine, type EngineAnswer, type EngineStats } from './provider-engine.js';

/**
 * The transport's `local://` upstream: one ProviderEngine per `kind: local` provider, found by
 * the provider name in the URL and the current config (so a SIGHUP reload that changes a
 * provider's engine options gets a fresh engine; the old one finishes its requests and unloads).
 * It owns the attempt's total timer and abort, as the network transport does, and turns engine
 * answers into `UpstreamResponse`s whose bodies stream with backpressure.
 */

export const LOCAL_URL_PREFIX = 'local://';

export interface LocalUpstreamDeps {
  /** The provider by name, from the current config. */
  provider: (name: string) => ProviderConfig | undefined;
  /** Creates the llama.cpp binding (`getLlama`); called once, on the first request. */
  createLlama: () => Promise<Llama>;
  /** Logical CPUs, for the default thread count. */
  cpuCount: number;
  newId: (prefix: string) => string;
  nowSeconds: () => number;
}

export interface LocalUpstream extends InProcessUpstream {
  /** Per provider, for metrics. */
  stats(): (EngineStats & { provider: string })[];
  /** After a reload: engines of providers no longer configured finish their requests, then unload their models. */
  retain(providers: ReadonlySet<string>): void;
}

export function createLocalUpstream(deps: LocalUpstreamDeps): LocalUpstream {
  const engines = new Map<string, { key: string; engine: ProviderEngine }>();
  const retiring = new Set<Promise<void>>();
  let llama: Promise<Llama> | undefined;
  const sharedLlama = () => {
    llama ??= deps.createLlama().catch((err: unknown) => {
      llama = undefined;
      throw err;
    });
    return llama;
  };

  const engineFor = (provider: ProviderConfig): ProviderEngine => {
    const engine = provider.engine;
    if (!engine) throw new LocalEngineError(404, 'not_found', `Provider '${provider.name}' is not served by the local engine.`);
    const settings = {
      // Never llama.cpp's own default: with more threads than free cores, throughput collapses (measured 25x slower).
      threads: engine.threads ?? Math.max(1, deps.cpuCount - 1),
      contextSize: engine.context_size,
      sequences: engine.sequences,
      maxQueue: engine.max_queue,
      maxLoadedModels: engine.max_loaded_models,
    };
    const key = JSON.stringify(settings);
    const current = engines.get(provider.name);
    if (current?.key === key) return current.engine;
    if (current) retire(current.engine);
    const created = new ProviderEngine(settings, { llama: sharedLlama, newId: deps.newId, nowSeconds: deps.nowSeconds });
    engines.set(provider.name, { key, engine: created });
    return created;
  };

  const retire = (engine: ProviderEngine) => {
    const closing = engine.idle().then(() => engine.close());
    retiring.add(closing);
    void closing.finally(() => retiring.delete(closing));
  };

  return {
    prefix: LOCAL_URL_PREFIX,
    stats: () => [...engines].map(([provider, { engine }]) => ({ provider, ...engine.stats() })),

    retain(providers) {
      for (const [name, { engine }] of engines) {
        if (providers.has(name)) continue;
        engines.delete(name);
        retire(engine);
      }
    },

    async send(spec: HttpRequestSpec, timeouts: TimeoutsConfig, signal?: AbortSignalLike): Promise<UpstreamResponse> {
      const { provider: name, route } = parseLocalUrl(spec.url);
      const abort = new AbortController();
      let totalTimedOut = false;
      const totalTimer = setTimeout(() => {
        totalTimedOut = true;
        abort.abort();
      }, timeouts.total_ms);
      totalTimer.unref();
      const onClientAbort = () => abort.abort();
      signal?.addEventListener('abort', onClientAbort, { once: true });
      const release = () => {
        clearTimeout(totalTimer);
        signal?.removeEventListener('abort', onClientAbort);
      };
      const classify = (err: unknown) => classifyTransportError(err, { totalTimedOut, clientAborted: signal?.aborted === true });

      let answer: EngineAnswer;
      try {
        const provider = deps.provider(name);
        if (!provider) throw new LocalEngineError(404, 'not_found', `Unknown local provider '${name}'.`);
        answer = await engineFor(provider).handle(route, spec.body, { signal: abort.signal, waitMs: timeouts.first_byte_ms });
      } catch (err) {
        if (signal?.aborted) {
          release();
          throw new ClientAbortError();
        }
        if (totalTimedOut) {
          release();
          throw upstreamTimeout('total', err);
        }
        const failure = toLocalEngineError(err);
        return respond(failure.status, jsonBody(failure.toJSON()), failure.retryAfter, release, classify);
      }
      // A non-stream generation cut short by the client or the timer is no answer.
      if (answer.kind === 'json' && (signal?.aborted || totalTimedOut)) {
        release();
        throw signal?.aborted ? new ClientAbortError() : upstreamTimeout('total');
      }
      if (answer.kind === 'json') return respond(200, jsonBody(answer.body), undefined, release, classify);
      const body = Readable.from(encode(answer.frames), { objectMode: false, highWaterMark: 16 * 1024 });
      // The gateway destroys the body when the client leaves or it stops reading: stop generating.
      body.once('close', () => abort.abort());
      return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: body as UpstreamResponse['body'], release, classify };
    },

    async close() {
      const all = [...engines.values()].map(({ engine }) => engine);
      engines.clear();
      await Promise.all([...all.map((engine) => engine.close()), ...retiring]);
      const binding = await llama?.catch(() => undefined);
      llama = undefined;
      await binding?.dispose();
    },
  };
}

/** `local://<provider>/<route>` → provider name and route (`/chat/completions`). */
export function parseLocalUrl(url: string): { provider: string; route: string } {
  const rest = url.slice(LOCAL_URL_PREFIX.length);
  const slash = rest.indexOf('/');
  const provider = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
  const route = slash === -1 ? '/' : rest.slice(slash).split('?')[0]!;
  return { provider, route };
}

function respond(
  status: number,
  body: Readable,
  retryAfter: number | undefined,
  release: () => void,
  classify: (err: unknown) => Error,
): UpstreamResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  return { status, headers, body: body as UpstreamResponse['body'], release, classify };
}

function jsonBody(value: unknown): Readable {
  return Readable.from([Buffer.from(JSON.stringify(value), 'utf8')]);
}

async function* encode(frames: AsyncGenerator<string, void, void>): AsyncGenerator<Buffer, void, void> {
  for await (const frame of frames) yield Buffer.from(frame, 'utf8');
}
