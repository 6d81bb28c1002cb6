import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTokenizer, type Tokenize } from '../src/knowledge/index/index.js';
import { alignColumns, fixed } from './report.js';
import { generateCorpus } from './retrieval-corpus.js';
import { buildExact, ingest, measureQueries, medianRun, type Ingested, type IngestRun, type QueryStats } from './retrieval-measure.js';

/**
 * The knowledge-base half of `npm run bench`: ingestion throughput (parse + chunk + BM25 +
 * HNSW add, embeddings precomputed), query latency p50/p99 of BM25, usearch HNSW, hybrid
 * (both + RRF via `hybridSearch`) and exact brute force, and HNSW recall@10 against exact, at
 * each corpus size. In-process and single-threaded, as a query is served. Knobs and figures are
 * in docs/benchmarks.md ("Retrieval").
 */

export interface RetrievalSize {
  chunks: number;
  /** Vector dimensions at this size. 100k is measured at 128, not 384: see docs/benchmarks.md. */
  dimensions: number;
}

export interface RetrievalBenchOptions {
  sizes?: RetrievalSize[];
  /** Queries per size (each through all four retrievers). */
  queries?: number;
  /** Ingestion runs at sizes up to `repeatUpTo` chunks (the median is quoted); larger sizes run once. */
  ingestRuns?: number;
  repeatUpTo?: number;
  k?: number;
  warmup?: number;
  seed?: number;
  /** Where to write the JSON results; `false` writes nothing. */
  out?: string | false;
  /** Print the tables to stdout (default true). */
  print?: boolean;
  log?: (line: string) => void;
  tokenize?: Tokenize;
}

export interface SizeResult {
  chunks: number;
  dimensions: number;
  documents: number;
  meanTokens: number;
  ingestRuns: IngestRun[];
  /** Median of `ingestRuns`. */
  ingest: IngestRun;
  query: QueryStats;
  /** HNSW p50 ÷ exact p50. */
  annToExactP50: number;
  /** Process RSS and V8 heap in use after the queries, with this size's indexes, oracle and corpus live. */
  rssMiB: number;
  heapMiB: number;
  /** Wall time for this size, generation and oracle included. */
  seconds: number;
}

export interface RetrievalReport {
  date: string;
  machine: { node: string; cpu?: string; cpus: number; loadavg: number[] };
  settings: { queries: number; ingestRuns: number; repeatUpTo: number; k: number; warmup: number; seed: number };
  sizes: SizeResult[];
}

export const DEFAULT_SIZES: readonly RetrievalSize[] = [
  { chunks: 10_000, dimensions: 384 },
  { chunks: 100_000, dimensions: 128 },
];

const stderrLog = (line: string) => process.stderr.write(`${line}\n`);

export async function runRetrievalBench(opts: RetrievalBenchOptions = {}): Promise<RetrievalReport> {
  const env = fromEnv(process.env);
  const s = {
    sizes: opts.sizes ?? env.sizes ?? [...DEFAULT_SIZES],
    queries: opts.queries ?? env.queries ?? 200,
    ingestRuns: opts.ingestRuns ?? env.ingestRuns ?? 3,
    repeatUpTo: opts.repeatUpTo ?? 20_000,
    k: opts.k ?? 10,
    warmup: opts.warmup ?? 10,
    seed: opts.seed ?? env.seed ?? 1,
  };
  const log = opts.log ?? stderrLog;
  const out = opts.out ?? env.out ?? join(dirname(fileURLToPath(import.meta.url)), 'results', 'retrieval.json');
  log(`retrieval: node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cpus; sizes ${s.sizes.map((z) => `${z.chunks}×${z.dimensions}d`).join(', ')}`);
  const tokenize = opts.tokenize ?? createTokenizer();

  const results: SizeResult[] = [];
  for (const size of s.sizes) {
    const started = performance.now();
    const tag = `retrieval: ${size.chunks} chunks × ${size.dimensions}d`;
    log(`${tag}: generating corpus and vectors`);
    const corpus = generateCorpus({ chunks: size.chunks, dimensions: size.dimensions, queries: s.queries, seed: s.seed });
    const runs: IngestRun[] = [];
    const count = size.chunks <= s.repeatUpTo ? s.ingestRuns : 1;
    let indexes: Ingested | undefined;
    for (let r = 0; r < count; r++) {
      indexes = undefined; // let the previous run's indexes go before building new ones
      log(`${tag}: ingestion run ${r + 1}/${count}`);
      const done = await ingest(corpus, tokenize);
      runs.push(done.run);
      indexes = done;
      log(`${tag}: ${done.run.chunks} chunks in ${fixed(done.run.seconds, 1)} s (${fixed(done.run.chunksPerSecond, 0)} chunks/s)`);
    }
    log(`${tag}: building the exact oracle, then ${s.queries} queries × 4 retrievers`);
    const exact = buildExact(corpus);
    const query = measureQueries(corpus.queries, { bm25: indexes!.bm25, ann: indexes!.ann, exact }, s.k, s.warmup);
    const result: SizeResult = {
      chunks: size.chunks,
      dimensions: size.dimensions,
      documents: corpus.documents.length,
      meanTokens: corpus.meanTokens,
      ingestRuns: runs,
      ingest: medianRun(runs),
      query,
      annToExactP50: query.latency.ann.p50 / query.latency.exact.p50,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
      seconds: (performance.now() - started) / 1000,
    };
    results.push(result);
    log(`${tag}: recall@${s.k} ${fixed(query.recall, 3)}; done in ${fixed(result.seconds, 0)} s`);
  }

  const report: RetrievalReport = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpu: cpus()[0]?.model, cpus: cpus().length, loadavg: loadavg() },
    settings: { queries: s.queries, ingestRuns: s.ingestRuns, repeatUpTo: s.repeatUpTo, k: s.k, warmup: s.warmup, seed: s.seed },
    sizes: results,
  };
  if (opts.print ?? true) process.stdout.write(`\n${formatRetrievalReport(report)}\n`);
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    log(`retrieval: results written to ${out}`);
  }
  return report;
}

export function formatRetrievalReport(r: RetrievalReport): string {
  const { k, queries, ingestRuns, repeatUpTo } = r.settings;
  const ms = (n: number) => fixed(n, 3);
  const ingestion = alignColumns(
    ['chunks', 'dims', 'docs', 'tokens/chunk', 'runs', 'chunks/s', 'chunks/CPU-s', 'parse+chunk µs/chunk', 'BM25 add µs/chunk', 'HNSW add µs/chunk', 'ingest s', 'RSS MiB', 'heap MiB'],
    r.sizes.map((z) => [
      String(z.chunks),
      String(z.dimensions),
      String(z.documents),
      fixed(z.meanTokens, 0),
      String(z.ingestRuns.length),
      fixed(z.ingest.chunksPerSecond, 0),
      fixed(z.ingest.chunksPerCpuSecond, 0),
      fixed(z.ingest.parseChunkUs, 1),
      fixed(z.ingest.bm25Us, 1),
      fixed(z.ingest.vectorUs, 1),
      fixed(z.ingest.seconds, 1),
      fixed(z.rssMiB, 0),
      fixed(z.heapMiB, 0),
    ]),
  );
  const latency = alignColumns(
    ['chunks', 'dims', 'BM25 p50', 'BM25 p99', 'HNSW p50', 'HNSW p99', 'hybrid p50', 'hybrid p99', 'exact p50', 'exact p99', 'HNSW ÷ exact p50', `recall@${k}`],
    r.sizes.map((z) => {
      const l = z.query.latency;
      return [
        String(z.chunks),
        String(z.dimensions),
        ms(l.bm25.p50),
        ms(l.bm25.p99),
        ms(l.ann.p50),
        ms(l.ann.p99),
        ms(l.hybrid.p50),
        ms(l.hybrid.p99),
        ms(l.exact.p50),
        ms(l.exact.p99),
        `${fixed(z.annToExactP50, 4)}×`,
        fixed(z.query.recall, 3),
      ];
    }),
  );
  const cpu = alignColumns(
    ['chunks', 'dims', 'BM25', 'HNSW', 'hybrid', 'exact'],
    r.sizes.map((z) => {
      const c = z.query.cpuMs;
      return [String(z.chunks), String(z.dimensions), ms(c.bm25), ms(c.ann), ms(c.hybrid), ms(c.exact)];
    }),
  );
  return [
    `Baimo retrieval bench: synthetic mixed Chinese/English chunks, structured vectors (normalize(A·z + noise), z ∈ R³²).`,
    `Ingestion = parseDocument (markdown) + chunkDocument + BM25 add + usearch HNSW add, embeddings precomputed;`,
    `median of ${ingestRuns} runs up to ${repeatUpTo} chunks, one run above.`,
    '',
    ingestion,
    '',
    `Query latency, ms, ${queries} queries, top ${k}, one at a time. HNSW = UsearchVectorIndex (M 16, ef_add 128, ef 100);`,
    `hybrid = hybridSearch (BM25 + HNSW, ${4 * k} candidates each, RRF); exact = ExactVectorIndex; recall@${k} = HNSW vs exact.`,
    '',
    latency,
    '',
    'Mean process CPU ms per query (all threads; not inflated by a busy neighbour as wall time is):',
    '',
    cpu,
  ].join('\n');
}

/** BENCH_RETRIEVAL_* knobs; each undefined when unset. */
function fromEnv(env: NodeJS.ProcessEnv) {
  const num = (name: string) => {
    const v = Number(env[name]);
    return env[name] && Number.isInteger(v) && v > 0 ? v : undefined;
  };
  let sizes: RetrievalSize[] | undefined;
  if (env.BENCH_RETRIEVAL_SIZES) {
    sizes = env.BENCH_RETRIEVAL_SIZES.split(',').map((part) => {
      const [chunks, dimensions] = part.trim().split(':').map(Number);
      if (!Number.isInteger(chunks) || chunks! <= 0 || !Number.isInteger(dimensions) || dimensions! <= 0) {
        throw new Error(`BENCH_RETRIEVAL_SIZES must look like '10000:384,100000:128', not '${env.BENCH_RETRIEVAL_SIZES}'`);
      }
      return { chunks: chunks!, dimensions: dimensions! };
    });
  }
  return {
    sizes,
    queries: num('BENCH_RETRIEVAL_QUERIES'),
    ingestRuns: num('BENCH_RETRIEVAL_RUNS'),
    seed: num('BENCH_RETRIEVAL_SEED'),
    out: env.BENCH_RETRIEVAL_OUT || undefined,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRetrievalBench().catch((err: unknown) => {
    process.stderr.write(`retrieval: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
