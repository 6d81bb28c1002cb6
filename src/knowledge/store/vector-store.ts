import type { Kysely } from 'kysely';
import type { SearchHit } from '../index/search-hit.js';

/**
 * Where a knowledge base's chunk vectors are searched. Chunk rows (text, metadata and the
 * embedding as float32 bytes) live in the relational store in both modes and are the source of
 * truth; a VectorStore answers nearest-neighbour queries over them. Two implementations:
 * - memory: an in-process ANN index per KB (embedded mode, and PostgreSQL without pgvector),
 *   which catches up with the chunk table on each search and ignores the write hooks;
 * - pgvector: the database searches; it writes its own rows inside the transaction that commits
 *   or deletes chunks, so vectors and chunks can never disagree.
 */
export interface VectorStore {
  readonly kind: 'memory' | 'pgvector';
  /** Chunks committed for `kbId`, inside the committing transaction `trx`. */
  added(trx: Kysely<any>, kbId: string, rows: readonly { id: string; vector: Float32Array }[]): Promise<void>;
  /** Chunks deleted from `kbId`, inside the deleting transaction `trx`. */
  removed(trx: Kysely<any>, kbId: string, chunkIds: readonly string[]): Promise<void>;
  /**
   * Top `k` chunks of `kbId` by cosine similarity (higher is better), optionally only among
   * `allowedChunkIds` (metadata filters). Hit ids are chunk ids.
   */
  search(kbId: string, vector: Float32Array, k: number, allowedChunkIds?: ReadonlySet<string>): Promise<SearchHit[]>;
  /** A KB was deleted: forget it (pgvector deletes its rows and index). */
  drop(kbId: string): Promise<void>;
  close(): Promise<void>;
}
