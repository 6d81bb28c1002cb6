import { byScoreThenId, type SearchHit } from './search-hit.js';

/**
 * Reciprocal rank fusion (Cormack et al., 2009): score(d) = Σ 1 / (k + rank). It uses ranks
 * only, so BM25 scores and cosine similarities need no calibration against each other;
 * k = 60 is the paper's constant and damps the weight of the very top ranks.
 *
 * @example reciprocalRankFusion([[{ id: 'a' }, { id: 'b' }], [{ id: 'b' }]]) // b first
 */
export function reciprocalRankFusion(lists: readonly (readonly { id: string }[])[], k = 60): SearchHit[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.forEach(({ id }, rank) => {
      if (seen.has(id)) return; // a duplicate in one list must not count twice
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort(byScoreThenId);
}
