import type { Bm25Index } from './bm25-index.js';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.js';
import type { SearchHit } from './search-hit.js';
import type { VectorIndex } from './vector-index.js';

export interface HybridSearchInput {
  bm25: Bm25Index;
  vectors: VectorIndex;
  queryText: string;
  queryVector: Float32Array | readonly number[];
  k: number;
  /** Post-filter (tenant, knowledge base, ACL); both lists are over-fetched to survive it. */
  filter?: (id: string) => boolean;
  /** How many candidates each retriever contributes; default 4k. */
  candidates?: number;
  rrfK?: number;
}

/** Lexical and semantic retrieval fused by reciprocal rank fusion. */
export function hybridSearch(input: HybridSearchInput): SearchHit[] {
  const n = input.candidates ?? input.k * 4;
  const keep = input.filter ?? (() => true);
  const lexical = input.bm25.search(input.queryText, n).filter((h) => keep(h.id));
  const semantic = input.vectors.search(input.queryVector, n).filter((h) => keep(h.id));
  return reciprocalRankFusion([lexical, semantic], input.rrfK).slice(0, input.k);
}
