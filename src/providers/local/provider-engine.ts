import { stat } from 'node:fs/promises';
import type { Llama } from 'node-llama-cpp';
import { asObject, tryParseJson } from '../openai-compatible/loose-json.js';
import { LocalEngineError, invalidParam, modelFileNotFound, modelLoadFailed, routeNotServed } from './engine-error.js';
import { LoadedModel, type EngineSettings } from './loaded-model.js';
import { createModelCache, type ModelCache } from './model-cache.js';
import { embed, startChat, startCompletion } from './run-generation.js';
import { chatSse, completionSse, type TextRun } from './sse-body.js';
import { parseChatBody, parseCompletionBody, parseEmbeddingsBody } from './wire-request.js';
import { chatCompletionJson, embeddingsJson, textCompletionJson, type ResponseMeta } from './wire-response.js';

/**
 * The engine of one `kind: local` provider: its model cache and its counters. `handle` takes an
 * OpenAI-compatible route and body and answers like an upstream server would: JSON, or SSE frames.
 * Everything that can fail before the first byte (load, queue, prompt checks) fails here, before
 * a 200 is returned, so the router can still retry or fail over.
 */

export type EngineAnswer =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'sse'; frames: AsyncGenerator<string, void, void> };

export interface EngineStats {
  /** Requests holding a sequence (generating or embedding). */
  active: number;
  /** Requests waiting for a sequence. */
  queued: number;
  loadedModels: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ProviderEngineDeps {
  /** The process's llama.cpp binding, created on first use and shared by providers. */
  llama: () => Promise<Llama>;
  newId: (prefix: string) => string;
  nowSeconds: () => number;
}

export class ProviderEngine {
  private readonly cache: ModelCache<LoadedModel>;
  private readonly counters = { active: 0, queued: 0, promptTokens: 0, completionTokens: 0 };
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly settings: EngineSettings & { maxLoadedModels: number },
    private readonly deps: ProviderEngineDeps,
  ) {
    this.cache = createModelCache({ max: settings.maxLoadedModels, load: (path) => this.load(path), unload: (m) => m.dispose() });
  }

  stats(): EngineStats {
    return { ...this.counters, loadedModels: this.cache.size };
  }

  async handle(route: string, rawBody: string | undefined, ctl: { signal: AbortSignal; waitMs: number }): Promise<EngineAnswer> {
    const body = asObject(tryParseJson(rawBody ?? ''));
    if (!body) throw invalidParam('body', 'The request body must be a JSON object.');
    switch (route) {
      case '/chat/completions':
        return this.generate(parseChatBody(body), ctl, startChat, chatSse, chatCompletionJson, 'chatcmpl');
      case '/completions':
        return this.generate(parseCompletionBody(body), ctl, startCompletion, completionSse, textCompletionJson, 'cmpl');
      case '/embeddings':
        return this.embeddings(parseEmbeddingsBody(body), ctl);
      default:
        throw routeNotServed(route);
    }
  }

  /** Resolves once no request holds or waits for a sequence (a retired engine closes then). */
  idle(): Promise<void> {
    if (this.counters.active + this.counters.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.cache.close();
  }

  private async generate<J extends { model: string; stream: boolean; includeUsage: boolean }>(
    job: J,
    ctl: { signal: AbortSignal; waitMs: number },
    start: (target: Parameters<typeof startChat>[0], job: J) => TextRun | Promise<TextRun>,
    sse: (meta: ResponseMeta, run: TextRun, includeUsage: boolean) => AsyncGenerator<string, void, void>,
    json: (meta: ResponseMeta, result: Awaited<TextRun['result']>) => Record<string, unknown>,
    idPrefix: string,
  ): Promise<EngineAnswer> {
    const model = await this.cache.acquire(job.model);
    let done: (() => void) | undefined = () => model.release();
    try {
      const slot = await this.waitForSlot(() => model.model.sequence(ctl));
      done = this.occupy(() => {
        slot.release();
        model.release();
      });
      const run = await start({ loaded: model.model, sequence: slot.item, contextSize: slot.contextSize, signal: ctl.signal }, job);
      const finish = done;
      done = undefined;
      const result = run.result.then((r) => {
        this.counters.promptTokens += r.promptTokens;
        this.counters.completionTokens += r.completionTokens;
        return r;
      });
      result.then(finish, finish);
      const meta = { id: this.deps.newId(idPrefix), created: this.deps.nowSeconds(), model: job.model };
      if (job.stream) return { kind: 'sse', frames: sse(meta, { pieces: run.pieces, result }, job.includeUsage) };
      return { kind: 'json', body: json(meta, await result) };
    } finally {
      done?.();
    }
  }

  private async embeddings(job: ReturnType<typeof parseEmbeddingsBody>, ctl: { signal: AbortSignal; waitMs: number }): Promise<EngineAnswer> {
    const model = await this.cache.acquire(job.model);
    let done = () => model.release();
    try {
      const slot = await this.waitForSlot(() => model.model.embedder(ctl));
      done = this.occupy(() => {
        slot.release();
        model.release();
      });
      const { vectors, promptTokens } = await embed({ loaded: model.model, context: slot.item, contextSize: slot.contextSize, signal: ctl.signal }, job);
      this.counters.promptTokens += promptTokens;
      return { kind: 'json', body: embeddingsJson(job.model, vectors, promptTokens) };
    } finally {
      done();
    }
  }

  private async waitForSlot<S>(acquire: () => Promise<S>): Promise<S> {
    this.counters.queued += 1;
    try {
      return await acquire();
    } finally {
      this.counters.queued -= 1;
      this.notifyIfIdle();
    }
  }

  /** Counts a request as active until the returned (idempotent) release runs. */
  private occupy(release: () => void): () => void {
    this.counters.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      this.counters.active -= 1;
      this.notifyIfIdle();
    };
  }

  private notifyIfIdle(): void {
    if (this.counters.active + this.counters.queued > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async load(path: string): Promise<LoadedModel> {
    const file = await stat(path).catch(() => undefined);
    if (!file?.isFile()) throw modelFileNotFound(path);
    let llama: Llama;
    try {
      llama = await this.deps.llama();
    } catch (err) {
      throw new LocalEngineError(500, 'engine_unavailable', `The local engine cannot start llama.cpp: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    try {
      const lib = await import('node-llama-cpp');
      return new LoadedModel(lib, await llama.loadModel({ modelPath: path }), path, this.settings);
    } catch (err) {
      throw modelLoadFailed(path, err);
    }
  }
}
