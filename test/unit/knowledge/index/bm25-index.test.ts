import { describe, expect, it } from 'vitest';
import { Bm25Index, type Bm25Json } from '../../../../src/knowledge/index/bm25-index.js';
import { byScoreThenId, type SearchHit } from '../../../../src/knowledge/index/search-hit.js';
import { createTokenizer } from '../../../../src/knowledge/index/tokenizer.js';
import { seededRandom } from '../../../support/fixtures.js';

const tokenize = createTokenizer();

// A small hand-labelled set: each query names the one document that answers it.
const DOCS: Record<string, string> = {
  gateway: '多租户大模型网关负责把请求路由到不同的模型供应商，并在失败时切换。',
  billing: '计费模块按照输入和输出的令牌数量计算费用，每月生成账单。',
  ratelimit: 'Rate limiting uses a token bucket per API key; requests over the limit get HTTP 429.',
  ssrf: 'The URL fetcher refuses private and loopback addresses to prevent server-side request forgery.',
  rag: '知识库把文档切分成片段，建立全文索引和向量索引，用于检索增强生成。',
  keys: 'API keys are hashed with bcrypt and can be revoked by an organisation owner at any time.',
  streaming: 'Streaming responses are relayed as server-sent events without buffering the whole answer.',
  embedding: '嵌入模型把文本转换成向量，向量之间的余弦相似度表示语义上的接近程度。',
  deploy: 'Deploy Baimo with Docker; the embedded mode stores data in SQLite on a single box.',
};

const QUERIES: [query: string, expected: string][] = [
  ['模型网关如何路由请求', 'gateway'],
  ['令牌计费 账单', 'billing'],
  ['what happens when I exceed the rate limit', 'ratelimit'],
  ['server-side request forgery protection', 'ssrf'],
  ['全文索引 向量索引 知识库', 'rag'],
  ['revoke an API key', 'keys'],
  ['余弦相似度', 'embedding'],
  ['docker deployment sqlite', 'deploy'],
];

function build(): Bm25Index {
  const idx = new Bm25Index(tokenize);
  for (const [id, text] of Object.entries(DOCS)) idx.add(id, text);
  return idx;
}

describe('Bm25Index', () => {
  it('ranks the labelled answer first for every query (Chinese and English)', () => {
    const idx = build();
    const top1 = QUERIES.map(([q]) => idx.search(q, 1)[0]?.id);
    expect(top1).toEqual(QUERIES.map(([, want]) => want));
  });

  it('recall@3 is 1 and scores are descending', () => {
    const idx = build();
    for (const [q, want] of QUERIES) {
      const hits = idx.search(q, 3);
      expect(hits.map((h) => h.id)).toContain(want);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    }
  });

  it('removes and replaces documents by id', () => {
    const idx = build();
    expect(idx.remove('billing')).toBe(true);
    expect(idx.remove('billing')).toBe(false);
    expect(idx.search('账单', 5).map((h) => h.id)).not.toContain('billing');
    idx.add('deploy', '账单 账单');
    expect(idx.search('账单', 1)[0]?.id).toBe('deploy');
    expect(idx.search('docker', 5)).toEqual([]);
    expect(idx.size).toBe(8);
  });

  it('round-trips through JSON with identical results', () => {
    const idx = build();
    const copy = Bm25Index.fromJSON(JSON.parse(JSON.stringify(idx.toJSON())), tokenize);
    for (const [q] of QUERIES) expect(copy.search(q, 5)).toEqual(idx.search(q, 5));
  });

  it('uses k1 = 1.2, b = 0.75 by default and matches the formula on a two-document case', () => {
    const idx = new Bm25Index(tokenize);
    expect(idx.params).toEqual({ k1: 1.2, b: 0.75 });
    idx.add('a', 'apple apple banana');
    idx.add('b', 'banana cherry');
    const [hit] = idx.search('apple', 1);
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * 2 * 2.2) / (2 + 1.2 * (1 - 0.75 + (0.75 * 3) / 2.5));
    expect(hit!.id).toBe('a');
    expect(hit!.score).toBeCloseTo(expected, 10);
  });
});


/** Whitespace tokenizer: the index must not care what produces the terms. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** The textbook index the optimised one must agree with: string-keyed maps, score everything, sort. */
class ReferenceBm25 {
  readonly docs = new Map<string, Map<string, number>>();
  constructor(readonly k1 = 1.2, readonly b = 0.75) {}

  add(id: string, text: string): void {
    const tf = new Map<string, number>();
    for (const t of words(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    this.docs.set(id, tf);
  }

  remove(id: string): boolean {
    return this.docs.delete(id);
  }

  search(query: string, k: number): SearchHit[] {
    const n = this.docs.size;
    if (n === 0) return [];
    let total = 0;
    const lengths = new Map<string, number>();
    for (const [id, tf] of this.docs) {
      let len = 0;
      for (const c of tf.values()) len += c;
      lengths.set(id, len);
      total += len;
    }
    const avg = total / n || 1;
    const scores = new Map<string, number>();
    for (const term of new Set(words(query))) {
      const holders = [...this.docs].filter(([, tf]) => tf.has(term));
      const idf = Math.log(1 + (n - holders.length + 0.5) / (holders.length + 0.5));
      for (const [id, tf] of holders) {
        const f = tf.get(term)!;
        const norm = f + this.k1 * (1 - this.b + (this.b * lengths.get(id)!) / avg);
        scores.set(id, (scores.get(id) ?? 0) + (idf * f * (this.k1 + 1)) / norm);
      }
    }
    return [...scores].map(([id, score]) => ({ id, score })).sort(byScoreThenId).slice(0, k);
  }
}

/** Zipf-ish vocabulary: a few very common words, a long tail of rare ones. */
function randomText(r: () => number, vocabulary: number): string {
  const length = 1 + Math.floor(r() * 30);
  return Array.from({ length }, () => `w${Math.floor(vocabulary ** r() - 1)}`).join(' ');
}

function expectSameHits(actual: SearchHit[], expected: SearchHit[]): void {
  expect(actual.map((h) => h.id)).toEqual(expected.map((h) => h.id));
  actual.forEach((h, i) => expect(Math.abs(h.score - expected[i]!.score)).toBeLessThanOrEqual(1e-12 * Math.abs(expected[i]!.score)));
}

describe('Bm25Index internals (interned ids, lazy removal, top-k heap)', () => {
  it('removes, then re-adds the same id with new text', () => {
    const idx = new Bm25Index(words);
    idx.add('a', 'alpha beta');
    idx.add('b', 'beta gamma');
    expect(idx.remove('a')).toBe(true);
    expect(idx.search('alpha', 5)).toEqual([]);
    expect(idx.size).toBe(1);
    idx.add('a', 'gamma delta');
    expect(idx.size).toBe(2);
    expect(idx.search('alpha', 5)).toEqual([]);
    expect(idx.search('delta', 5).map((h) => h.id)).toEqual(['a']);
    expect(idx.search('gamma', 5).map((h) => h.id).sort()).toEqual(['a', 'b']);
    // Re-adding the text it had before removal brings back the original ranking.
    idx.remove('a');
    idx.add('a', 'alpha beta');
    expect(idx.search('alpha beta', 5).map((h) => h.id)).toEqual(['a', 'b']);
  });

  it('reuses removed slots after compaction, without stale postings leaking into the new documents', () => {
    const idx = new Bm25Index(words);
    for (let i = 0; i < 3000; i++) idx.add(`old${i}`, `common old${i} shared${i % 7}`);
    const slots = idx.stats().slots;
    for (let i = 0; i < 3000; i++) idx.remove(`old${i}`);
    expect(idx.size).toBe(0);
    for (let i = 0; i < 3000; i++) idx.add(`new${i}`, `fresh new${i}`);
    const stats = idx.stats();
    // Freed slots are reused; only the last few removals (not yet compacted) can cost new ones.
    expect(stats.slots).toBeLessThan(slots + 100);
    expect(stats.docs).toBe(3000);
    expect(stats.postings).toBe(6000);
    expect(idx.search('common shared3 old17', 10)).toEqual([]);
    expect(idx.search('new17', 10).map((h) => h.id)).toEqual(['new17']);
    expect(idx.search('fresh', 5000)).toHaveLength(3000);
    expect(stats.terms).toBe(3001); // the old vocabulary was released
  });

  it('scores exactly like a straightforward reference on a random corpus with adds, replaces and removes', () => {
    const r = seededRandom(20261125);
    const idx = new Bm25Index(words);
    const ref = new ReferenceBm25();
    const ids = Array.from({ length: 600 }, (_, i) => `doc-${i}`);
    const check = () => {
      for (let q = 0; q < 40; q++) {
        const query = Array.from({ length: 1 + Math.floor(r() * 4) }, () => randomText(r, 400).split(' ')[0]).join(' ');
        for (const k of [1, 10, 1000]) expectSameHits(idx.search(query, k), ref.search(query, k));
      }
    };
    for (let step = 0; step < 4000; step++) {
      const id = ids[Math.floor(r() * ids.length)]!;
      if (r() < 0.3) {
        expect(idx.remove(id)).toBe(ref.remove(id));
      } else {
        const text = randomText(r, 400);
        idx.add(id, text);
        ref.add(id, text);
      }
      if (step % 1000 === 999) check();
    }
    expect(idx.size).toBe(ref.docs.size);
    expect(idx.stats().slots).toBeLessThan(2 * ids.length); // removal churn reuses slots
    check();
    // Equal scores break ties by id, as byScoreThenId does, also when only the heap sees them.
    const ties = new Bm25Index(words);
    for (const id of ['e', 'c', 'a', 'd', 'b']) ties.add(id, 'same text');
    expect(ties.search('same', 3).map((h) => h.id)).toEqual(['a', 'b', 'c']);
  });

  it('round-trips through toJSON/fromJSON after removals, and loads the persisted format', () => {
    const r = seededRandom(7);
    const idx = new Bm25Index(words, { k1: 1.5, b: 0.6 });
    for (let i = 0; i < 300; i++) idx.add(`d${i}`, randomText(r, 200));
    for (let i = 0; i < 300; i += 3) idx.remove(`d${i}`);
    const json = idx.toJSON();
    expect(Object.keys(json.docs)).toHaveLength(200);
    expect(json.params).toEqual({ k1: 1.5, b: 0.6 });
    const copy = Bm25Index.fromJSON(JSON.parse(JSON.stringify(json)) as Bm25Json, words);
    expect(copy.toJSON()).toEqual(json);
    for (let q = 0; q < 30; q++) {
      const query = randomText(r, 200);
      expect(copy.search(query, 10)).toEqual(idx.search(query, 10));
    }
    // A file written by the previous Map-based implementation: the same shape, term counts per doc.
    const saved: Bm25Json = { version: 1, params: { k1: 1.2, b: 0.75 }, docs: { a: { apple: 2, banana: 1 }, b: { banana: 1, cherry: 1 } } };
    const loaded = Bm25Index.fromJSON(saved, words);
    expect(loaded.toJSON()).toEqual(saved);
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    expect(loaded.search('apple', 5)).toEqual([{ id: 'a', score: (idf * 2 * 2.2) / (2 + 1.2 * (1 - 0.75 + (0.75 * 3) / 2.5)) }]);
  });
});
