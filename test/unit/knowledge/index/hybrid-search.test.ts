import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../../../src/knowledge/index/bm25-index.js';
import { ExactVectorIndex } from '../../../../src/knowledge/index/exact-vector-index.js';
import { hybridSearch } from '../../../../src/knowledge/index/hybrid-search.js';
import { reciprocalRankFusion } from '../../../../src/knowledge/index/reciprocal-rank-fusion.js';
import { createTokenizer } from '../../../../src/knowledge/index/tokenizer.js';

describe('reciprocalRankFusion', () => {
  it('rewards agreement between lists over a single top rank', () => {
    const fused = reciprocalRankFusion([
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      [{ id: 'b' }, { id: 'c' }, { id: 'd' }],
    ]);
    expect(fused.map((h) => h.id)).toEqual(['b', 'c', 'a', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
  });

  it('breaks ties by id, ignores duplicates inside one list, honours k', () => {
    expect(reciprocalRankFusion([[{ id: 'z' }], [{ id: 'y' }]]).map((h) => h.id)).toEqual(['y', 'z']);
    expect(reciprocalRankFusion([[{ id: 'a' }, { id: 'a' }]])[0]!.score).toBeCloseTo(1 / 61, 12);
    expect(reciprocalRankFusion([[{ id: 'a' }]], 0)[0]!.score).toBe(1);
  });
});

/**
 * Hand-made set. Vectors use 4 "topic" axes: [auth, billing, network, storage].
 * - q-lexical asks for an error code that only the text contains ("E4031"); its vector is vague.
 * - q-semantic paraphrases ("how much will I be charged") with no shared words; only the
 *   vector (billing axis) finds the answer.
 */
const DOCS: { id: string; text: string; vec: number[] }[] = [
  { id: 'err-code', text: 'Error E4031 means the signing certificate has expired.', vec: [0.5, 0.1, 0.5, 0.5] },
  { id: 'auth', text: 'Authentication uses bearer tokens issued per organisation.', vec: [1, 0, 0.1, 0] },
  { id: 'invoice', text: '每月账单按令牌用量结算。', vec: [0, 1, 0, 0.05] },
  { id: 'net', text: 'Network errors are retried with exponential backoff.', vec: [0.1, 0, 1, 0] },
  { id: 'disk', text: 'Storage quotas are enforced per knowledge base.', vec: [0, 0.1, 0, 1] },
  { id: 'cert', text: 'Certificates rotate automatically every ninety days.', vec: [0.7, 0, 0.6, 0] },
  { id: 'price', text: 'Prices are listed in the model catalogue.', vec: [0.2, 0.6, 0, 0.3] },
  { id: 'errors', text: 'Error messages never include the upstream provider name.', vec: [0.4, 0, 0.6, 0.1] },
];

const CASES = [
  { text: 'what does E4031 mean', vec: [0.6, 0, 0.6, 0], want: 'err-code' },
  { text: 'how much will I be charged', vec: [0, 1, 0, 0], want: 'invoice' },
];

function build() {
  const bm25 = new Bm25Index(createTokenizer());
  const vectors = new ExactVectorIndex(4);
  for (const d of DOCS) {
    bm25.add(d.id, d.text);
    vectors.add(d.id, d.vec);
  }
  return { bm25, vectors };
}

const rankOf = (ids: string[], want: string) => {
  const i = ids.indexOf(want);
  return i < 0 ? Infinity : i + 1;
};

describe('hybridSearch', () => {
  it('each retriever alone misses one case; the fusion gets both into the top 2', () => {
    const { bm25, vectors } = build();
    const lexicalTop2 = CASES.map((c) => rankOf(bm25.search(c.text, 2).map((h) => h.id), c.want) <= 2);
    const semanticTop2 = CASES.map((c) => rankOf(vectors.search(c.vec, 2).map((h) => h.id), c.want) <= 2);
    const hybridTop2 = CASES.map(
      (c) => rankOf(hybridSearch({ bm25, vectors, queryText: c.text, queryVector: c.vec, k: 2 }).map((h) => h.id), c.want) <= 2,
    );
    expect(lexicalTop2).toEqual([true, false]);
    expect(semanticTop2).toEqual([false, true]);
    expect(hybridTop2).toEqual([true, true]);
  });

  it('applies the filter to both lists', () => {
    const { bm25, vectors } = build();
    const hits = hybridSearch({ bm25, vectors, queryText: 'E4031', queryVector: [0, 1, 0, 0], k: 5, filter: (id) => id !== 'invoice' && id !== 'err-code' });
    expect(hits.map((h) => h.id)).not.toContain('invoice');
    expect(hits.map((h) => h.id)).not.toContain('err-code');
    expect(hits.length).toBeGreaterThan(0);
  });
});
