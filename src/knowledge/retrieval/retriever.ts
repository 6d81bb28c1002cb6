import { reciprocalRankFusion } from '../index/reciprocal-rank-fusion.js';
import type { SearchHit } from '../index/search-hit.js';
import type { ChunkRepo, HydratedChunk, MetadataFilter } from '../store/chunk-repo.js';
import type { VectorStore } from '../store/vector-store.js';
import type { KbIndexCache } from './kb-index-cache.js';

/**
 * Retrieval over one KB: keyword (BM25), vector, or both fused by reciprocal rank fusion, then
 * optionally reranked by a rerank model; hits come back with their citation (document, page,
 * heading path, character offsets). Embedding the query and reranking are injected: they are
 * model calls made on the caller's behalf (metered, limited) by the HTTP layer.
 */

export type SearchMode = 'hybrid' | 'vector' | 'keyword';

export interface SearchInput {
  kbId: string;
  query: string;
  topK: number;
  mode: SearchMode;
  filter?: { documentIds?: string[]; metadata?: MetadataFilter };
  embedQuery: (text: string) => Promise<Float32Array>;
  /** Relevance per document text, in input order; absent = no rerank. */
  rerank?: (query: string, texts: string[]) => Promise<number[]>;
}

export interface RetrievedChunk {
  chunk: HydratedChunk;
  score: number;
  scores: { keyword?: number; vector?: number; rerank?: number };
}

export interface RetrieverDeps {
  cache: KbIndexCache;
  vectors: VectorStore;
  chunks: ChunkRepo;
}

/** Candidates each retriever contributes before fusion, and that rerank sees. */
const candidatesFor = (k: number) => Math.max(k * 4, 20);

export async function retrieve(deps: RetrieverDeps, input: SearchInput): Promise<RetrievedChunk[]> {
  const idx = await deps.cache.get(input.kbId);
  let allowed: Set<string> | undefined;
  if (input.filter && (input.filter.documentIds || Object.keys(input.filter.metadata ?? {}).length > 0)) {
    const docs = await deps.chunks.documentsMatching(input.kbId, input.filter);
    allowed = new Set([...idx.documentOf].filter(([, doc]) => docs.has(doc)).map(([chunk]) => chunk));
    if (allowed.size === 0) return [];
  }
  const n = candidatesFor(input.topK);
  const keyword: SearchHit[] =
    input.mode === 'vector' ? [] : idx.bm25.search(input.query, allowed ? Math.max(n * 10, 500) : n).filter((h) => !allowed || allowed.has(h.id)).slice(0, n);
  const vector: SearchHit[] = input.mode === 'keyword' ? [] : await deps.vectors.search(input.kbId, await input.embedQuery(input.query), n, allowed);

  const keywordScore = new Map(keyword.map((h) => [h.id, h.score]));
  const vectorScore = new Map(vector.map((h) => [h.id, h.score]));
  const ranked = input.mode === 'hybrid' ? reciprocalRankFusion([keyword, vector]) : input.mode === 'vector' ? vector : keyword;

  let top = ranked.slice(0, input.rerank ? n : input.topK);
  const hydrated = new Map((await deps.chunks.hydrate(input.kbId, top.map((h) => h.id))).map((c) => [c.id, c]));
  top = top.filter((h) => hydrated.has(h.id)); // a chunk deleted since the index caught up
  const rerankScore = new Map<string, number>();
  if (input.rerank && top.length > 0) {
    const relevance = await input.rerank(input.query, top.map((h) => hydrated.get(h.id)!.text));
    top.forEach((h, i) => rerankScore.set(h.id, relevance[i] ?? 0));
    top = top.map((h) => ({ id: h.id, score: rerankScore.get(h.id)! })).sort((a, b) => b.score - a.score);
  }
  return top.slice(0, input.topK).map((h) => ({
    chunk: hydrated.get(h.id)!,
    score: h.score,
    scores: {
      ...(keywordScore.has(h.id) ? { keyword: keywordScore.get(h.id)! } : {}),
      ...(vectorScore.has(h.id) ? { vector: vectorScore.get(h.id)! } : {}),
      ...(rerankScore.has(h.id) ? { rerank: rerankScore.get(h.id)! } : {}),
    },
  }));
}
