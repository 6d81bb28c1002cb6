import { performance } from 'node:perf_hooks';
import { chunkDocument } from '../src/knowledge/chunk/index.js';
import { Bm25Index, ExactVectorIndex, hybridSearch, UsearchVectorIndex, type SearchHit, type Tokenize } from '../src/knowledge/index/index.js';
import { DEFAULT_ADD_THREADS } from '../src/knowledge/index/usearch-vector-index.js';
import { parseDocument } from '../src/knowledge/parse/index.js';
import { indexTextOf } from '../src/knowledge/retrieval/index-text.js';
import { median, percentile } from './percentile.js';
import { chunkId, type Corpus, type CorpusQuery } from './retrieval-corpus.js';

/**
 * The retrieval bench's measurements: ingestion of a synthetic corpus through the real parse →
 * chunk → index path, and query latency of each retriever on the result. Vectors are precomputed,
 * so ingestion time excludes embedding, as the knowledge-base issue asks.
 */

/** Vectors per `UsearchVectorIndex.addMany` call: the page size of the KB index cache's catch-up. */
export const VECTOR_BATCH = 2000;

/** A knowledge base's default chunking (`POST /v1/knowledge_bases` without `chunking`). */
export const CHUNK_OPTIONS = { maxTokens: 400, overlapTokens: 60 } as const;

export interface IngestRun {
  chunks: number;
  seconds: number;
  chunksPerSecond: number;
  /** Chunks per second of process CPU time (all threads): steadier than wall time on a shared machine. */
  chunksPerCpuSecond: number;
  /** Time per chunk of each stage, µs. */
  parseChunkUs: number;
  bm25Us: number;
  vectorUs: number;
}

export interface Ingested {
  run: IngestRun;
  bm25: Bm25Index;
  ann: UsearchVectorIndex;
}

/**
 * One ingestion of the whole corpus into fresh indexes: per document, `parseDocument` (markdown)
 * and `chunkDocument`, a duplicate check by chunk hash across the upload, `Bm25Index.add` of
 * the heading path + text per chunk; vectors go to `UsearchVectorIndex.addMany` in batches of
 * `VECTOR_BATCH` on `threads` native threads, the same calls the ingestion job and the KB index
 * cache's catch-up make. Storage (SQLite/PostgreSQL rows) and embedding are left out. Each stage
 * is timed on its own (HNSW by wall time, so with 2 threads it counts half its CPU); total = their sum.
 */
export async function ingest(corpus: Corpus, tokenize: Tokenize, threads = DEFAULT_ADD_THREADS): Promise<Ingested> {
  const bm25 = new Bm25Index(tokenize);
  const ann = new UsearchVectorIndex(corpus.dimensions);
  const seen = new Set<string>();
  const d = corpus.dimensions;
  let parseMs = 0;
  let bm25Ms = 0;
  let vectorMs = 0;
  let count = 0;
  let batchIds: string[] = [];
  let batchVectors: Float32Array[] = [];
  const flushVectors = () => {
    ann.addMany(batchIds, batchVectors, threads);
    batchIds = [];
    batchVectors = [];
  };
  const cpu0 = process.cpuUsage();
  for (const [doc, file] of corpus.documents.entries()) {
    const t0 = performance.now();
    const parsed = await parseDocument({ bytes: file.bytes, filename: file.filename });
    const chunks = chunkDocument(parsed, { ...CHUNK_OPTIONS, source: file.filename }).filter((c) => !seen.has(c.hash) && (seen.add(c.hash), true));
    const t1 = performance.now();
    if (chunks.length !== file.sections) {
      throw new Error(`${file.filename}: ${file.sections} sections became ${chunks.length} chunks; the corpus generator must make one chunk per section`);
    }
    // As the KB index cache does: BM25 sees the heading path, then the text.
    for (const [j, chunk] of chunks.entries()) bm25.add(chunkId(doc, j), indexTextOf(chunk.text, chunk.headingPath));
    const t2 = performance.now();
    for (let j = 0; j < chunks.length; j++) {
      const row = file.firstChunk + j;
      batchIds.push(chunkId(doc, j));
      batchVectors.push(corpus.vectors.subarray(row * d, (row + 1) * d));
    }
    const t3 = performance.now();
    if (batchIds.length >= VECTOR_BATCH || doc === corpus.documents.length - 1) flushVectors();
    parseMs += t1 - t0;
    bm25Ms += t2 - t1;
    vectorMs += performance.now() - t3;
    count += chunks.length;
  }
  const cpu = process.cpuUsage(cpu0);
  const ms = parseMs + bm25Ms + vectorMs;
  const per = (x: number) => (x * 1000) / count;
  return {
    bm25,
    ann,
    run: {
      chunks: count,
      seconds: ms / 1000,
      chunksPerSecond: (count * 1000) / ms,
      chunksPerCpuSecond: (count * 1e6) / (cpu.user + cpu.system),
      parseChunkUs: per(parseMs), bm25Us: per(bm25Ms), vectorUs: per(vectorMs) },
  };
}

/** Medians across ingestion runs, each figure on its own. */
export function medianRun(runs: IngestRun[]): IngestRun {
  const m = (f: (r: IngestRun) => number) => median(runs.map(f));
  return {
    chunks: runs[0]?.chunks ?? 0,
    seconds: m((r) => r.seconds),
    chunksPerSecond: m((r) => r.chunksPerSecond),
    chunksPerCpuSecond: m((r) => r.chunksPerCpuSecond),
    parseChunkUs: m((r) => r.parseChunkUs),
    bm25Us: m((r) => r.bm25Us),
    vectorUs: m((r) => r.vectorUs),
  };
}

/** The exact oracle, built from the same precomputed vectors (not part of ingestion). */
export function buildExact(corpus: Corpus): ExactVectorIndex {
  const exact = new ExactVectorIndex(corpus.dimensions);
  const d = corpus.dimensions;
  for (const [doc, file] of corpus.documents.entries()) {
    for (let j = 0; j < file.sections; j++) {
      const row = file.firstChunk + j;
      exact.add(chunkId(doc, j), corpus.vectors.subarray(row * d, (row + 1) * d));
    }
  }
  return exact;
}

export interface Latency {
  p50: number;
  p99: number;
  mean: number;
}

export type Retriever = 'bm25' | 'ann' | 'hybrid' | 'exact';
export const RETRIEVERS: readonly Retriever[] = ['bm25', 'ann', 'hybrid', 'exact'];

export interface QueryStats {
  queries: number;
  k: number;
  /** Milliseconds per query, wall clock. */
  latency: Record<Retriever, Latency>;
  /** Mean process CPU milliseconds per query (all threads); unlike wall time, not inflated by a busy neighbour. */
  cpuMs: Record<Retriever, number>;
  /** Mean |ANN top-k ∩ exact top-k| / k. */
  recall: number;
  /** Share of queries whose source chunk is in the top k (a sanity check of the synthetic data, not a quality claim). */
  sourceFound: Record<Retriever, number>;
  /** Queries for which BM25 found nothing (should be 0: query words come from the corpus). */
  bm25Empty: number;
}

export interface Indexes {
  bm25: Bm25Index;
  ann: UsearchVectorIndex;
  exact: ExactVectorIndex;
}

/**
 * Runs every query through each retriever, one query at a time as a request would. The four calls
 * for a query run back to back, in an order rotated per query, so drift and cache effects (the
 * exact scan evicts everything) fall on all retrievers alike. `warmup` queries run first, unrecorded.
 */
export function measureQueries(queries: CorpusQuery[], idx: Indexes, k = 10, warmup = 10): QueryStats {
  const search: Record<Retriever, (q: CorpusQuery) => SearchHit[]> = {
    bm25: (q) => idx.bm25.search(q.text, k),
    ann: (q) => idx.ann.search(q.vector, k),
    hybrid: (q) => hybridSearch({ bm25: idx.bm25, vectors: idx.ann, queryText: q.text, queryVector: q.vector, k }),
    exact: (q) => idx.exact.search(q.vector, k),
  };
  for (let i = 0; i < Math.min(warmup, queries.length); i++) for (const r of RETRIEVERS) search[r](queries[i]!);

  const samples: Record<Retriever, number[]> = { bm25: [], ann: [], hybrid: [], exact: [] };
  const cpuUs: Record<Retriever, number> = { bm25: 0, ann: 0, hybrid: 0, exact: 0 };
  const found: Record<Retriever, number> = { bm25: 0, ann: 0, hybrid: 0, exact: 0 };
  let recallSum = 0;
  let bm25Empty = 0;
  queries.forEach((q, i) => {
    const hits = {} as Record<Retriever, SearchHit[]>;
    for (let n = 0; n < RETRIEVERS.length; n++) {
      const r = RETRIEVERS[(i + n) % RETRIEVERS.length]!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      hits[r] = search[r](q);
      samples[r].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpuUs[r] += c.user + c.system;
      if (hits[r].some((h) => h.id === q.source)) found[r]++;
    }
    const truth = new Set(hits.exact.map((h) => h.id));
    recallSum += hits.ann.filter((h) => truth.has(h.id)).length / Math.max(1, truth.size);
    if (hits.bm25.length === 0) bm25Empty++;
  });
  const stats = (xs: number[]): Latency => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), mean: xs.reduce((a, b) => a + b, 0) / xs.length });
  const n = Math.max(1, queries.length);
  const share = (x: number) => x / n;
  return {
    queries: queries.length,
    k,
    latency: { bm25: stats(samples.bm25), ann: stats(samples.ann), hybrid: stats(samples.hybrid), exact: stats(samples.exact) },
    cpuMs: { bm25: cpuUs.bm25 / 1000 / n, ann: cpuUs.ann / 1000 / n, hybrid: cpuUs.hybrid / 1000 / n, exact: cpuUs.exact / 1000 / n },
    recall: recallSum / n,
    sourceFound: { bm25: share(found.bm25), ann: share(found.ann), hybrid: share(found.hybrid), exact: share(found.exact) },
    bm25Empty,
  };
}
