/** One ranked result of any index: higher score is better. */
export interface SearchHit {
  id: string;
  score: number;
}

/** Sorts best first; equal scores fall back to id so rankings are deterministic. */
export function byScoreThenId(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
