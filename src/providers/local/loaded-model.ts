import type { ChatWrapper, LlamaContextSequence, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import type { AbortSignalLike } from '../abort-like.js';
import { createSlotPool, type SlotLease, type SlotPool } from './slot-pool.js';

/** Engine settings of one provider, defaults resolved. */
export interface EngineSettings {
  threads: number;
  /** Per sequence; undefined: min(2048, the model's training context). */
  contextSize?: number;
  sequences: number;
  maxQueue: number;
}

/**
 * node-llama-cpp's module, imported on first use (it costs ~250 ms to import, which a gateway
 * without local providers should not pay at start).
 */
export type NodeLlamaCpp = typeof import('node-llama-cpp');

/** Default context when the operator sets none: enough for chat, small enough for a laptop's RAM. */
const DEFAULT_CONTEXT = 2048;

/**
 * One loaded GGUF model and what requests share on it: a generation context whose sequences are
 * the slots of a pool, and an embedding context (one slot). Both are created on first use, so a
 * chat-only model never pays for an embedding context and vice versa.
 */
export class LoadedModel {
  private generation?: Promise<{ pool: SlotPool<LlamaContextSequence>; contextSize: number; dispose(): Promise<void> }>;
  private embedding?: Promise<{ pool: SlotPool<LlamaEmbeddingContext>; contextSize: number; dispose(): Promise<void> }>;
  private wrapper?: ChatWrapper;

  constructor(
    readonly lib: NodeLlamaCpp,
    readonly model: LlamaModel,
    readonly path: string,
    private readonly settings: EngineSettings,
  ) {}

  /** The chat template node-llama-cpp resolves from the file (Jinja or a built-in wrapper). */
  get chatWrapper(): ChatWrapper {
    this.wrapper ??= this.lib.resolveChatWrapper(this.model);
    return this.wrapper;
  }

  get contextSize(): number {
    return this.settings.contextSize ?? Math.min(DEFAULT_CONTEXT, this.model.trainContextSize);
  }

  /** Waits for a free sequence of the generation context. */
  async sequence(opts: { signal?: AbortSignalLike; waitMs: number }): Promise<SlotLease<LlamaContextSequence> & { contextSize: number }> {
    this.generation ??= this.createGeneration();
    const { pool, contextSize } = await this.generation;
    return Object.assign(await pool.acquire(opts), { contextSize });
  }

  async embedder(opts: { signal?: AbortSignalLike; waitMs: number }): Promise<SlotLease<LlamaEmbeddingContext> & { contextSize: number }> {
    this.embedding ??= this.createEmbedding();
    const { pool, contextSize } = await this.embedding;
    return Object.assign(await pool.acquire(opts), { contextSize });
  }

  async dispose(): Promise<void> {
    const parts = await Promise.allSettled([this.generation, this.embedding].filter((p) => p !== undefined));
    for (const part of parts) if (part.status === 'fulfilled') await part.value.dispose();
    await this.model.dispose();
  }

  private async createGeneration() {
    const context = await this.model.createContext({
      contextSize: this.contextSize,
      sequences: this.settings.sequences,
      threads: this.settings.threads,
    }).catch((err: unknown) => {
      this.generation = undefined;
      throw err;
    });
    const sequences = Array.from({ length: this.settings.sequences }, () => context.getSequence());
    // llama.cpp rounds the size up (to a multiple of 256); the per-sequence size is what fits.
    return { pool: createSlotPool(sequences, this.settings.maxQueue), contextSize: sequences[0]!.contextSize, dispose: () => context.dispose() };
  }

  private async createEmbedding() {
    const context = await this.model.createEmbeddingContext({ contextSize: this.contextSize, threads: this.settings.threads }).catch((err: unknown) => {
      this.embedding = undefined;
      throw err;
    });
    return { pool: createSlotPool([context], this.settings.maxQueue), contextSize: this.contextSize, dispose: () => context.dispose() };
  }
}
