import { readFile, writeFile } from 'node:fs/promises';
import { normalizeVector } from './normalize-vector.js';
import { byScoreThenId, type SearchHit } from './search-hit.js';
import type { VectorIndex } from './vector-index.js';

interface ExactJson {
  version: 1;
  dimensions: number;
  ids: string[];
  /** Base64 of the little-endian Float32 rows, in `ids` order. */
  vectors: string;
}

/**
 * Brute-force cosine over one contiguous Float32Array. Exact, so it is the oracle for the HNSW
 * index; measured at ~38 ms/query for 50k × 384 (measured-here.md §2), fine for small bases.
 */
export class ExactVectorIndex implements VectorIndex {
  private data: Float32Array;
  private ids: string[] = [];
  private readonly slots = new Map<string, number>();

  constructor(readonly dimensions: number) {
    this.data = new Float32Array(dimensions * 64);
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: string, vector: Float32Array | readonly number[]): void {
    const unit = normalizeVector(vector, this.dimensions);
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if ((slot + 1) * this.dimensions > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.ids.push(id);
      this.slots.set(id, slot);
    }
    this.data.set(unit, slot * this.dimensions);
  }

  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    // Move the last row into the hole so rows stay contiguous.
    const last = this.ids.length - 1;
    if (slot !== last) {
      const lastId = this.ids[last]!;
      this.data.copyWithin(slot * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.ids[slot] = lastId;
      this.slots.set(lastId, slot);
    }
    this.ids.pop();
    this.slots.delete(id);
    return true;
  }

  search(vector: Float32Array | readonly number[], k: number): SearchHit[] {
    const q = normalizeVector(vector, this.dimensions);
    const d = this.dimensions;
    const hits: SearchHit[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      let dot = 0;
      const off = slot * d;
      for (let i = 0; i < d; i++) dot += q[i]! * this.data[off + i]!;
      hits.push({ id: this.ids[slot]!, score: dot });
    }
    return hits.sort(byScoreThenId).slice(0, k);
  }

  async save(path: string): Promise<void> {
    const rows = this.data.subarray(0, this.ids.length * this.dimensions);
    const json: ExactJson = {
      version: 1,
      dimensions: this.dimensions,
      ids: this.ids,
      vectors: Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).toString('base64'),
    };
    await writeFile(path, JSON.stringify(json));
  }

  async load(path: string): Promise<void> {
    const json = JSON.parse(await readFile(path, 'utf8')) as ExactJson;
    if (json.dimensions !== this.dimensions) throw new Error(`Index at ${path} has ${json.dimensions} dimensions, not ${this.dimensions}.`);
    const bytes = Buffer.from(json.vectors, 'base64');
    // Copy: a Buffer's byteOffset need not be Float32-aligned.
    this.data = new Float32Array(new Uint8Array(bytes).buffer);
    this.ids = [...json.ids];
    this.slots.clear();
    this.ids.forEach((id, slot) => this.slots.set(id, slot));
    if (this.data.length === 0) this.data = new Float32Array(this.dimensions * 64);
  }
}
