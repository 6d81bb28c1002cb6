import { byScoreThenId, type SearchHit } from './search-hit.js';
import type { Tokenize } from './tokenizer.js';

export interface Bm25Params {
  k1: number;
  b: number;
}

/** The persisted form: per-document term counts; postings and totals are rebuilt on load. */
export interface Bm25Json {
  version: 1;
  params: Bm25Params;
  docs: Record<string, Record<string, number>>;
}

/**
 * Okapi BM25 over an in-memory inverted index. Documents are added and removed by id; adding
 * an existing id replaces it, so re-indexing a changed chunk is one call.
 *
 * @example const idx = new Bm25Index(createTokenizer()); idx.add('c1', '网关路由'); idx.search('路由', 5)
 */
export class Bm25Index {
  readonly params: Bm25Params;
  private readonly docs = new Map<string, Map<string, number>>();
  private readonly lengths = new Map<string, number>();
  private readonly postings = new Map<string, Set<string>>();
  private totalLength = 0;

  constructor(
    private readonly tokenize: Tokenize,
    params: Partial<Bm25Params> = {},
  ) {
    this.params = { k1: params.k1 ?? 1.2, b: params.b ?? 0.75 };
  }

  get size(): number {
    return this.docs.size;
  }

  add(id: string, text: string): void {
    this.addTerms(id, this.tokenize(text));
  }

  remove(id: string): boolean {
    const tf = this.docs.get(id);
    if (!tf) return false;
    for (const term of tf.keys()) {
      const set = this.postings.get(term)!;
      set.delete(id);
      if (set.size === 0) this.postings.delete(term);
    }
    this.totalLength -= this.lengths.get(id)!;
    this.docs.delete(id);
    this.lengths.delete(id);
    return true;
  }

  search(query: string, k: number): SearchHit[] {
    const n = this.docs.size;
    if (n === 0 || k <= 0) return [];
    const { k1, b } = this.params;
    const avgLength = this.totalLength / n || 1;
    const scores = new Map<string, number>();
    for (const term of new Set(this.tokenize(query))) {
      const ids = this.postings.get(term);
      if (!ids) continue;
      // The "+1" form of idf never goes negative, so a term in most documents still counts a little.
      const idf = Math.log(1 + (n - ids.size + 0.5) / (ids.size + 0.5));
      for (const id of ids) {
        const tf = this.docs.get(id)!.get(term)!;
        const norm = tf + k1 * (1 - b + (b * this.lengths.get(id)!) / avgLength);
        scores.set(id, (scores.get(id) ?? 0) + (idf * tf * (k1 + 1)) / norm);
      }
    }
    return [...scores].map(([id, score]) => ({ id, score })).sort(byScoreThenId).slice(0, k);
  }

  toJSON(): Bm25Json {
    const docs: Record<string, Record<string, number>> = {};
    for (const [id, tf] of this.docs) docs[id] = Object.fromEntries(tf);
    return { version: 1, params: { ...this.params }, docs };
  }

  static fromJSON(json: Bm25Json, tokenize: Tokenize): Bm25Index {
    const idx = new Bm25Index(tokenize, json.params);
    for (const [id, tf] of Object.entries(json.docs)) {
      idx.addCounts(id, new Map(Object.entries(tf)));
    }
    return idx;
  }

  private addTerms(id: string, terms: string[]): void {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    this.addCounts(id, tf);
  }

  private addCounts(id: string, tf: Map<string, number>): void {
    this.remove(id);
    let length = 0;
    for (const [term, count] of tf) {
      length += count;
      let set = this.postings.get(term);
      if (!set) this.postings.set(term, (set = new Set()));
      set.add(id);
    }
    this.docs.set(id, tf);
    this.lengths.set(id, length);
    this.totalLength += length;
  }
}
