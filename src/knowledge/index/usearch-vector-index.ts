import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { BaimoError } from '../../protocol/errors.js';
import { normalizeVector } from './normalize-vector.js';
import { byScoreThenId, type SearchHit } from './search-hit.js';
import type { VectorIndex } from './vector-index.js';

/** The slice of usearch's `Index` we use (its typings come from the ESM entry we cannot load). */
interface NativeIndex {
  /** One key and vector, or a batch: keys[i] ↔ row i of the flat `vectors`, inserted by `threads` threads (0 = one per core). */
  add(key: bigint, vector: Float32Array): void;
  add(keys: BigUint64Array, vectors: Float32Array, threads: number): void;
  remove(key: bigint): number;
  remove(keys: BigUint64Array): number[];
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  size(): number;
  save(path: string): void;
  load(path: string): void;
}

interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: 'cos';
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
  }) => NativeIndex;
}

// usearch 2.25.3's ESM entry overflows the stack on Node 20; the CommonJS entry works.
const usearch = createRequire(import.meta.url)('usearch') as UsearchModule;

/** A vector counts as reachable when a search for it finds it among this many (ties of duplicate vectors). */
const SELF_CHECK_K = 4;

/** Threads for a batch add unless told otherwise: two at most, so a rebuild leaves the event loop's core some room. */
export const DEFAULT_ADD_THREADS = Math.min(2, availableParallelism());

export interface UsearchOptions {
  /** HNSW M; 16 is pgvector's default and what measured-here.md §2 used. */
  connectivity?: number;
  expansionAdd?: number;
  /** Query ef: 100 gave recall@10 ≈ 0.92 on structured data in measured-here.md §2. */
  expansionSearch?: number;
}

interface IdMapJson {
  version: 1;
  nextKey: string;
  entries: [id: string, key: string][];
}

/**
 * HNSW (usearch, cosine) with string ids mapped to the engine's integer keys. `save(path)`
 * writes the native index to `path` and the id map beside it as `path.ids.json`.
 * add/search are synchronous native calls: fine for queries, but large builds belong in a worker.
 * `addMany` inserts a batch on several native threads (HNSW insertion is the cost of a rebuild).
 */
export class UsearchVectorIndex implements VectorIndex {
  private native: NativeIndex;
  private readonly keyOf = new Map<string, bigint>();
  private readonly idOf = new Map<bigint, string>();
  private nextKey = 1n;

  constructor(
    readonly dimensions: number,
    private readonly options: UsearchOptions = {},
  ) {
    this.native = this.createNative();
  }

  get size(): number {
    return this.keyOf.size;
  }

  add(id: string, vector: Float32Array | readonly number[]): void {
    const unit = normalizeVector(vector, this.dimensions);
    this.remove(id);
    const key = this.nextKey++;
    this.native.add(key, unit);
    this.keyOf.set(id, key);
    this.idOf.set(key, id);
  }

  /**
   * Adds or replaces many vectors in one native call, inserted in parallel by `threads` threads
   * (default `DEFAULT_ADD_THREADS`; 0 = one per core). `vectors` is one vector per id, or all of
   * them back to back in one flat array of `ids.length × dimensions`. Like repeated `add`: an id
   * that exists is replaced, and if an id repeats within the batch its last vector wins. Every
   * vector is checked before anything changes; existing vectors are removed only after the
   * batch is in, so a failed insert leaves the index as it was.
   */
  addMany(ids: readonly string[], vectors: readonly (Float32Array | readonly number[])[] | Float32Array, threads = DEFAULT_ADD_THREADS): void {
    const d = this.dimensions;
    const flat = vectors instanceof Float32Array;
    if (flat ? vectors.length !== ids.length * d : vectors.length !== ids.length) {
      throw new BaimoError(
        'validation',
        flat
          ? `Expected ${ids.length} × ${d} = ${ids.length * d} values for ${ids.length} vectors, got ${vectors.length}.`
          : `Expected ${ids.length} vectors, got ${vectors.length}.`,
        { status: 400, code: 'vector_dimensions' },
      );
    }
    const lastOf = new Map<string, number>();
    ids.forEach((id, i) => lastOf.set(id, i));
    const count = lastOf.size;
    if (count === 0) return;
    const units = new Float32Array(count * d);
    const keys = new BigUint64Array(count);
    let row = 0;
    for (const i of lastOf.values()) {
      const v = flat ? vectors.subarray(i * d, (i + 1) * d) : vectors[i]!;
      units.set(normalizeVector(v, d), row * d);
      keys[row] = this.nextKey + BigInt(row);
      row++;
    }
    try {
      this.native.add(keys, units, threads);
      if (threads !== 1 && count > 1) this.reinsertUnreachable(keys, units, threads);
    } catch (err) {
      // Partly inserted: take out whatever went in (unknown keys are a no-op), keep the old vectors.
      try {
        this.native.remove(keys);
      } catch {
        // the insert's error is the one to report
      }
      throw err;
    }
    this.nextKey += BigInt(count);
    row = 0;
    for (const id of lastOf.keys()) {
      this.remove(id);
      const key = keys[row++]!;
      this.keyOf.set(id, key);
      this.idOf.set(key, id);
    }
  }

  /**
   * usearch's parallel insertion now and then leaves a node that no search reaches (about 1 in 300
   * vectors of a 300-vector batch, 4 in 20,000 of a large one; never on one thread). Each new
   * vector is searched for (one batch search on `threads` threads: ~65% of the insert's time,
   * together still below a one-thread insert), and one not among its own nearest few is inserted
   * again on its own, which in measurement always made it reachable.
   */
  private reinsertUnreachable(keys: BigUint64Array, units: Float32Array, threads: number): void {
    const d = this.dimensions;
    const k = Math.min(SELF_CHECK_K, this.native.size());
    const found = this.native.search(units, k, threads).keys;
    for (let row = 0; row < keys.length; row++) {
      const key = keys[row]!;
      let reachable = false;
      for (let j = row * k; j < (row + 1) * k && !reachable; j++) reachable = found[j] === key;
      if (reachable) continue;
      this.native.remove(key);
      this.native.add(key, units.subarray(row * d, (row + 1) * d));
    }
  }

  remove(id: string): boolean {
    const key = this.keyOf.get(id);
    if (key === undefined) return false;
    this.native.remove(key);
    this.keyOf.delete(id);
    this.idOf.delete(key);
    return true;
  }

  search(vector: Float32Array | readonly number[], k: number): SearchHit[] {
    if (this.size === 0 || k <= 0) return [];
    const { keys, distances } = this.native.search(normalizeVector(vector, this.dimensions), Math.min(k, this.size), 0);
    const hits: SearchHit[] = [];
    keys.forEach((key, i) => {
      const id = this.idOf.get(key);
      if (id !== undefined) hits.push({ id, score: 1 - distances[i]! });
    });
    return hits.sort(byScoreThenId);
  }

  async save(path: string): Promise<void> {
    this.native.save(path);
    const json: IdMapJson = {
      version: 1,
      nextKey: String(this.nextKey),
      entries: [...this.keyOf].map(([id, key]) => [id, String(key)]),
    };
    await writeFile(`${path}.ids.json`, JSON.stringify(json));
  }

  async load(path: string): Promise<void> {
    const json = JSON.parse(await readFile(`${path}.ids.json`, 'utf8')) as IdMapJson;
    const native = this.createNative();
    native.load(path);
    this.native = native;
    this.keyOf.clear();
    this.idOf.clear();
    for (const [id, key] of json.entries) {
      this.keyOf.set(id, BigInt(key));
      this.idOf.set(BigInt(key), id);
    }
    this.nextKey = BigInt(json.nextKey);
  }

  private createNative(): NativeIndex {
    return new usearch.Index({
      dimensions: this.dimensions,
      metric: 'cos',
      connectivity: this.options.connectivity ?? 16,
      expansion_add: this.options.expansionAdd ?? 128,
      expansion_search: this.options.expansionSearch ?? 100,
    });
  }
}
