import type { SearchHit } from './search-hit.js';

/**
 * A nearest-neighbour index over string ids; scores are cosine similarity (higher is closer).
 * Two implementations share it: `ExactVectorIndex` (brute force, the oracle and the right
 * choice for small knowledge bases) and `UsearchVectorIndex` (HNSW, on disk).
 */
export interface VectorIndex {
  readonly dimensions: number;
  readonly size: number;
  /** Adds or replaces the vector for `id`. */
  add(id: string, vector: Float32Array | readonly number[]): void;
  remove(id: string): boolean;
  search(vector: Float32Array | readonly number[], k: number): SearchHit[];
  save(path: string): Promise<void>;
  load(path: string): Promise<void>;
}
