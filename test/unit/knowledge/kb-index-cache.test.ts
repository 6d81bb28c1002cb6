import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenizer } from '../../../src/knowledge/index/tokenizer.js';
import { KbIndexCache } from '../../../src/knowledge/retrieval/kb-index-cache.js';
import type { ChunkChange, ChunkRepo } from '../../../src/knowledge/store/chunk-repo.js';
import { vectorToBytes } from '../../../src/knowledge/store/vector-bytes.js';

/** A chunk table in memory: appends with a growing seq, deletions leave tombstones. */
function fakeChunks() {
  const chunks: ChunkChange[] = [];
  const tombs: { seq: number; chunk_id: string }[] = [];
  let seq = 0;
  let tseq = 0;
  const reads = { after: [] as number[] };
  const repo = {
    async chunksSince(_kb: string, after: number, limit: number) {
      reads.after.push(after);
      return chunks.filter((c) => c.seq > after).slice(0, limit);
    },
    async tombstonesSince(_kb: string, after: number, limit: number) {
      return tombs.filter((t) => t.seq > after).slice(0, limit);
    },
  } as unknown as ChunkRepo;
  return {
    repo,
    reads,
    add(id: string, text: string, v: number[]) {
      chunks.push({ seq: ++seq, id, document_id: `doc_${id[0]}`, text, heading_path: '[]', embedding: vectorToBytes(v) });
    },
    remove(id: string) {
      const i = chunks.findIndex((c) => c.id === id);
      chunks.splice(i, 1);
      tombs.push({ seq: ++tseq, chunk_id: id });
    },
  };
}

const tokenize = createTokenizer();
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('KbIndexCache', () => {
  it('catches up incrementally with additions and deletions before each use', async () => {
    const table = fakeChunks();
    const cache = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: true, log: () => {} });
    table.add('a1', 'routing and circuit breakers', [1, 0, 0]);
    table.add('b1', '预算用尽后请求被拒绝', [0, 1, 0]);
    let idx = await cache.get('kb');
    expect(idx.bm25.search('预算', 5).map((h) => h.id)).toEqual(['b1']);
    expect(idx.vectors!.search([1, 0, 0], 1)[0]!.id).toBe('a1');
    table.remove('a1');
    table.add('a2', 'routing by weight', [0.9, 0.1, 0]);
    idx = await cache.get('kb');
    expect(idx.bm25.search('routing', 5).map((h) => h.id)).toEqual(['a2']);
    expect(idx.vectors!.search([1, 0, 0], 2).map((h) => h.id)).toEqual(['a2', 'b1']);
    expect(idx.documentOf.has('a1')).toBe(false);
    expect([idx.chunkSeq, idx.tombSeq]).toEqual([3, 1]);
  });

  it('lets the event loop run between slices of a large catch-up, and still applies every chunk', async () => {
    const table = fakeChunks();
    for (let i = 0; i < 1200; i++) table.add(`c${i}`, `chunk number ${i} about routing`, [Math.cos(i), Math.sin(i), 1]);
    const cache = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: true, log: () => {} });
    // The repo's reads resolve as microtasks, so without yielding a catch-up would never let a
    // macrotask (an incoming request, a timer) in until it finished.
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const idx = await cache.get('kb');
      expect(idx.documentOf.size).toBe(1200);
      expect(idx.vectors!.search([Math.cos(7), Math.sin(7), 1], 1)[0]!.id).toBe('c7');
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThan(5);
  });

  it('saves with watermarks and, after a restart, loads the files and applies only what changed since', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-cache-'));
    const table = fakeChunks();
    for (let i = 0; i < 50; i++) table.add(`a${i}`, `chunk number ${i} about topic${i}`, [Math.cos(i), Math.sin(i), 0.1]);
    const first = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: true, dir, log: () => {} });
    await first.get('kb');
    await first.close();
    table.add('late', 'added after the save about topic7', [0, 0, 1]);
    table.remove('a3');
    const second = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: true, dir, log: () => {} });
    table.reads.after.length = 0;
    const idx = await second.get('kb');
    expect(table.reads.after).toEqual([50]); // loaded from files: only the newer chunk is read
    expect(idx.bm25.size).toBe(50);
    expect(idx.vectors!.size).toBe(50);
    expect(idx.bm25.search('topic3', 5).map((h) => h.id)).not.toContain('a3');
    expect(idx.bm25.search('topic7', 5).map((h) => h.id).sort()).toEqual(['a7', 'late']);
  });

  it('adds vectors a page at a time, replacing a chunk that comes again', async () => {
    const table = fakeChunks();
    const cache = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: true, log: () => {} });
    const vec = (i: number) => Array.from({ length: 8 }, (_, d) => Math.sin(i * (d + 1.37) + d));
    for (let i = 0; i < 1200; i++) table.add(`p${i}`, `page chunk ${i}`, vec(i));
    table.add('p7', 'page chunk seven rewritten', vec(10_001)); // a changed chunk in the same catch-up
    table.reads.after.length = 0;
    let idx = await cache.get('kb');
    expect(table.reads.after).toEqual([0, 500, 1000]); // three pages of at most 500
    expect(idx.chunkSeq).toBe(1201);
    expect(idx.vectors!.size).toBe(1200);
    expect(idx.bm25.size).toBe(1200);
    expect(idx.vectors!.search(vec(10_001), 1)[0]!.id).toBe('p7');
    expect(idx.vectors!.search(vec(7), 1)[0]!.id).not.toBe('p7');
    expect(idx.vectors!.search(vec(1010), 1)[0]!.id).toBe('p1010');
    table.add('p7', 'page chunk seven again', vec(10_002));
    idx = await cache.get('kb');
    expect(idx.vectors!.size).toBe(1200);
    expect(idx.vectors!.search(vec(10_002), 1)[0]!.id).toBe('p7');
    expect(idx.vectors!.search(vec(10_001), 1)[0]!.id).not.toBe('p7');
    expect(idx.bm25.search('again', 5).map((h) => h.id)).toEqual(['p7']);
  });

  it('shares one catch-up between concurrent searches, and drop() forgets the KB and its files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-cache-'));
    const table = fakeChunks();
    table.add('a1', 'one', [1, 0]);
    const cache = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: false, dir, log: () => {} });
    const [x, y] = await Promise.all([cache.get('kb'), cache.get('kb')]);
    expect(x).toBe(y);
    expect(x.vectors).toBeUndefined(); // pgvector mode: BM25 only
    await cache.flush();
    await cache.drop('kb');
    const again = await cache.get('kb');
    expect(again).not.toBe(x);
    expect(again.bm25.size).toBe(1);
  });

  it('unloads the least recently searched KBs beyond its bounds, saving them first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-cache-'));
    const table = fakeChunks();
    for (let i = 0; i < 30; i++) table.add(`c${i}`, `chunk ${i}`, [1, i]);
    const cache = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: true, dir, maxKbs: 2, maxChunks: 1000, log: () => {} });
    await cache.get('kb1');
    await cache.get('kb2');
    await cache.get('kb1'); // kb2 is now the least recent
    await cache.get('kb3');
    expect(cache.loaded()).toEqual(['kb1', 'kb3']);
    // kb2 was saved when unloaded: it comes back from its files, reading only newer chunks.
    table.reads.after.length = 0;
    await cache.get('kb2');
    expect(table.reads.after[0]).toBe(30);
    const byChunks = new KbIndexCache({ chunks: table.repo, tokenize, memoryVectors: true, maxChunks: 40, log: () => {} });
    await byChunks.get('a');
    await byChunks.get('b'); // 60 chunks > 40: 'a' goes
    expect(byChunks.loaded()).toEqual(['b']);
  });
});
