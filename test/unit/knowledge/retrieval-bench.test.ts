import { describe, expect, it } from 'vitest';
import { selectBenches } from '../../../bench/main.js';
import { chunkId, generateCorpus } from '../../../bench/retrieval-corpus.js';
import { formatRetrievalReport, runRetrievalBench } from '../../../bench/retrieval.js';
import { countTokens } from '../../../src/knowledge/chunk/index.js';
import { createTokenizer } from '../../../src/knowledge/index/index.js';

/**
 * Smoke test of the retrieval bench (`npm run bench -- --only retrieval`) at a tiny size: the
 * pipeline runs end to end and the report is sane. No timing thresholds: this box is shared.
 */

describe('retrieval bench corpus', () => {
  it('is deterministic, and a smaller corpus is a prefix of a larger one', () => {
    const a = generateCorpus({ chunks: 60, dimensions: 16, queries: 5, seed: 7 });
    const b = generateCorpus({ chunks: 60, dimensions: 16, queries: 5, seed: 7 });
    const big = generateCorpus({ chunks: 100, dimensions: 16, queries: 5, seed: 7 });
    expect(b.documents.map((d) => d.bytes.toString())).toEqual(a.documents.map((d) => d.bytes.toString()));
    expect(b.vectors).toEqual(a.vectors);
    expect(b.queries).toEqual(a.queries);
    expect(big.documents[0]!.bytes.equals(a.documents[0]!.bytes)).toBe(true);
    expect(big.vectors.subarray(0, 60 * 16)).toEqual(a.vectors);
  });

  it('makes mixed Chinese/English sections of 100–300 tokens, unit vectors and answerable queries', () => {
    const c = generateCorpus({ chunks: 40, dimensions: 8, queries: 10, seed: 1 });
    expect(c.documents).toHaveLength(2);
    const sections = c.documents.flatMap((d) => d.bytes.toString().trim().split(/\n\n(?=## )/));
    expect(sections).toHaveLength(40);
    for (const s of sections) {
      expect(countTokens(s)).toBeGreaterThanOrEqual(100);
      expect(countTokens(s)).toBeLessThan(360);
    }
    const all = sections.join('\n');
    expect(all).toMatch(/\p{Script=Han}/u);
    expect(all).toMatch(/[A-Za-z]{4,}/);
    for (let i = 0; i < 40; i++) expect(Math.hypot(...c.vectors.subarray(i * 8, (i + 1) * 8))).toBeCloseTo(1, 5);
    expect(c.queries).toHaveLength(10);
    for (const q of c.queries) {
      expect(q.text.split(' ').length).toBeGreaterThanOrEqual(2);
      const [doc, section] = q.source.replace('kb-', '').split('#').map(Number);
      expect(q.source).toBe(chunkId(doc!, section!));
    }
  });
});

describe('runRetrievalBench', () => {
  it('reports sane figures at 500 chunks', async () => {
    const report = await runRetrievalBench({
      sizes: [{ chunks: 500, dimensions: 64 }],
      queries: 40,
      ingestRuns: 2,
      warmup: 2,
      out: false,
      print: false,
      log: () => {},
      tokenize: createTokenizer(),
    });
    expect(report.sizes).toHaveLength(1);
    const z = report.sizes[0]!;
    expect(z.chunks).toBe(500);
    expect(z.ingestRuns).toHaveLength(2);
    expect(z.ingest.chunks).toBe(500);
    expect(z.ingest.chunksPerSecond).toBeGreaterThan(0);
    for (const us of [z.ingest.parseChunkUs, z.ingest.bm25Us, z.ingest.vectorUs]) expect(us).toBeGreaterThan(0);
    expect(z.query.queries).toBe(40);
    for (const l of Object.values(z.query.latency)) {
      expect(l.p50).toBeGreaterThan(0);
      expect(l.p99).toBeGreaterThanOrEqual(l.p50);
    }
    for (const ms of Object.values(z.query.cpuMs)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(z.ingest.chunksPerCpuSecond).toBeGreaterThan(0);
    expect(z.query.recall).toBeGreaterThanOrEqual(0.8);
    expect(z.query.recall).toBeLessThanOrEqual(1);
    expect(z.query.bm25Empty).toBe(0);
    // Exact search finds each query's source chunk: the query vector was drawn next to it.
    expect(z.query.sourceFound.exact).toBeGreaterThan(0.5);
    expect(z.annToExactP50).toBeGreaterThan(0);

    const table = formatRetrievalReport(report);
    expect(table).toContain('recall@10');
    expect(table).toMatch(/^500 +64 /m);
  });
});

describe('bench selection', () => {
  it('runs both benches by default and one with --only', () => {
    expect(selectBenches([])).toEqual(['gateway', 'retrieval']);
    expect(selectBenches(['--only', 'retrieval'])).toEqual(['retrieval']);
    expect(selectBenches(['--only=gateway'])).toEqual(['gateway']);
    expect(() => selectBenches(['--only'])).toThrow(/--only/);
    expect(() => selectBenches(['--only', 'disk'])).toThrow(/--only/);
    expect(() => selectBenches(['--fast'])).toThrow(/unknown argument/);
  });
});
