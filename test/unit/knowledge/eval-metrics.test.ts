import { describe, expect, it } from 'vitest';
import { dcg, dedupeRanking, evaluateRun, ndcgAt, parseQrels, parseQueries, recallAt, reciprocalRankAt, scoreQuery } from '../../../src/knowledge/eval/metrics.js';

const judged = new Map([
  ['d1', 3],
  ['d2', 2],
  ['d3', 1],
  ['d4', 0],
]);

describe('parseQrels', () => {
  it('reads BEIR TSV with a header and graded relevance', () => {
    const qrels = parseQrels('query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t1\n\nq2\td1\t0\r\n');
    expect([...qrels.keys()]).toEqual(['q1', 'q2']);
    expect([...qrels.get('q1')!]).toEqual([
      ['d1', 2],
      ['d2', 1],
    ]);
    expect(qrels.get('q2')!.get('d1')).toBe(0);
  });

  it('reads headerless 3-column and 4-column TREC forms, whitespace-separated too', () => {
    expect(parseQrels('q1\td 1\t1\n')).toEqual(new Map([['q1', new Map([['d 1', 1]])]]));
    const trec = parseQrels('q1 0 doc-a 2\nq1 0 doc-b 0\nq2 Q0 doc-c 1\n');
    expect(trec.get('q1')).toEqual(new Map([['doc-a', 2], ['doc-b', 0]]));
    expect(trec.get('q2')).toEqual(new Map([['doc-c', 1]]));
  });

  it('keeps the highest grade when a pair is judged twice', () => {
    expect(parseQrels('q1\td1\t1\nq1\td1\t3\nq1\td1\t2\n').get('q1')!.get('d1')).toBe(3);
  });

  it('rejects bad lines with their line number', () => {
    expect(() => parseQrels('q1\td1\n')).toThrow(/line 1: expected 3 columns/);
    expect(() => parseQrels('q1\td1\t1\nq2\td2\tx\n')).toThrow(/line 2: relevance 'x' is not a number/);
    expect(() => parseQrels('query-id\tcorpus-id\tscore\nq\tc\tscore\n')).toThrow(/line 2/);
  });
});

describe('parseQueries', () => {
  it('accepts _id/text and id/query, numeric ids, and skips blank lines', () => {
    expect(parseQueries('{"_id":"q1","text":"what is x","metadata":{}}\n\n{"id":2,"query":"why"}\n')).toEqual([
      { id: 'q1', text: 'what is x' },
      { id: '2', text: 'why' },
    ]);
  });

  it('rejects lines without id or text, non-JSON and duplicates', () => {
    expect(() => parseQueries('{"text":"x"}')).toThrow(/line 1: no "_id"/);
    expect(() => parseQueries('{"_id":"a"}')).toThrow(/line 1: no "text"/);
    expect(() => parseQueries('{"_id":"a","text":"x"}\nnope')).toThrow(/line 2: not JSON/);
    expect(() => parseQueries('[1]')).toThrow(/not a JSON object/);
    expect(() => parseQueries('{"_id":"a","text":"x"}\n{"id":"a","query":"y"}')).toThrow(/duplicate query id 'a'/);
  });
});

describe('metrics', () => {
  it('dedupes a ranking keeping first occurrences', () => {
    expect(dedupeRanking(['a', 'b', 'a', 'c', 'b'])).toEqual(['a', 'b', 'c']);
  });

  it('nDCG@10 of a known ranking, by hand', () => {
    // Ranking d3, dX, d1, d1, d2 → deduped d3, dX, d1, d2 with gains 1, 0, 3, 2:
    //   DCG  = 1/log2(2) + 0/log2(3) + 3/log2(4) + 2/log2(5) = 1 + 0 + 1.5 + 0.8613531 = 3.3613531
    // Ideal order d1, d2, d3 (d4 is judged 0) with gains 3, 2, 1:
    //   IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.2618595 + 0.5 = 4.7618595
    //   nDCG = 3.3613531 / 4.7618595 = 0.7058909
    const ranking = ['d3', 'dX', 'd1', 'd1', 'd2'];
    expect(dcg([1, 0, 3, 2])).toBeCloseTo(3.3613531, 6);
    expect(ndcgAt(ranking, judged)).toBeCloseTo(0.7058909, 6);
    expect(ndcgAt(['d1', 'd2', 'd3'], judged)).toBeCloseTo(1, 12);
    expect(ndcgAt(['d4', 'dX'], judged)).toBe(0);
  });

  it('nDCG cuts at 10: a relevant id at rank 11 earns nothing', () => {
    const filler = Array.from({ length: 10 }, (_, i) => `x${i}`);
    const single = new Map([['a', 1]]);
    expect(ndcgAt([...filler, 'a'], single)).toBe(0);
    // Rank 3: 1/log2(4) = 0.5 over an ideal of 1.
    expect(ndcgAt(['x', 'y', 'a'], single)).toBe(0.5);
  });

  it('recall@k counts each relevant id once and uses the deduped ranks', () => {
    const ranking = ['d3', 'dX', 'd1', 'd1', 'd2'];
    expect(recallAt(ranking, judged, 1)).toBeCloseTo(1 / 3, 12); // d3
    expect(recallAt(ranking, judged, 3)).toBeCloseTo(2 / 3, 12); // d3, d1
    expect(recallAt(ranking, judged, 4)).toBe(1); // the second d1 is dropped, so d2 is 4th
    expect(recallAt(['d1', 'd1', 'd1'], judged, 10)).toBeCloseTo(1 / 3, 12);
  });

  it('MRR@10: first relevant rank; grade-0 judgments are not relevant', () => {
    expect(reciprocalRankAt(['dX', 'd4', 'd2'], judged)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAt(['dX', 'dX', 'd2'], judged)).toBe(0.5);
    expect(reciprocalRankAt([...Array.from({ length: 10 }, (_, i) => `x${i}`), 'd1'], judged)).toBe(0);
    expect(reciprocalRankAt([], judged)).toBe(0);
  });

  it('scoreQuery returns null without a relevant judgment', () => {
    expect(scoreQuery('q', ['a'], new Map([['a', 0]]), 10)).toBeNull();
    expect(scoreQuery('q', ['a'], undefined, 10)).toBeNull();
    expect(scoreQuery('q', ['a'], new Map([['a', 2]]), 10)).toEqual({ queryId: 'q', recall: 1, mrr: 1, ndcg: 1 });
  });

  it('evaluateRun averages over queries with relevant judgments and counts the skipped', () => {
    const qrels = parseQrels('q1\td1\t3\nq1\td2\t2\nq1\td3\t1\nq1\td4\t0\nq2\ta\t1\nq3\tz\t0\n');
    const run = new Map([
      ['q1', ['d3', 'dX', 'd1', 'd1', 'd2']],
      ['q2', ['x', 'y', 'a']],
      ['q3', ['z']],
      ['q4', ['w']],
    ]);
    const result = evaluateRun(run, qrels, 2);
    expect(result.evaluated).toBe(2);
    expect(result.skipped).toBe(2);
    // q1: recall@2 = 1/3, RR = 1, nDCG = 0.7058909; q2: recall@2 = 0, RR = 1/3, nDCG = 0.5.
    expect(result.perQuery.map((q) => q.queryId)).toEqual(['q1', 'q2']);
    expect(result.mean!.recall).toBeCloseTo((1 / 3 + 0) / 2, 12);
    expect(result.mean!.mrr).toBeCloseTo((1 + 1 / 3) / 2, 12);
    expect(result.mean!.ndcg).toBeCloseTo((0.7058909 + 0.5) / 2, 6);
  });

  it('evaluateRun has no mean when nothing could be scored, and checks k', () => {
    expect(evaluateRun(new Map([['q', ['a']]]), new Map(), 10)).toEqual({ perQuery: [], mean: null, evaluated: 0, skipped: 1 });
    expect(() => evaluateRun(new Map(), new Map(), 0)).toThrow(/k must be a positive integer/);
  });
});
