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

/** Counters of the internal layout, for tests and memory diagnostics. */
export interface Bm25Stats {
  /** Live documents. */
  docs: number;
  /** Document slots allocated (live + awaiting compaction + free). */
  slots: number;
  /** Slots that can be reused now. */
  freeSlots: number;
  /** Distinct terms with at least one live document. */
  terms: number;
  /** Postings of live documents. */
  postings: number;
  /** Postings of removed documents not yet compacted away. */
  deadPostings: number;
}

/**
 * Okapi BM25 over an in-memory inverted index. Documents are added and removed by id; adding
 * an existing id replaces it, so re-indexing a changed chunk is one call.
 *
 * Layout: ids and terms are interned to dense integers. A document lives in a slot (its length
 * in a Float64Array, its term ids and counts in one Uint32Array); a term's postings are one
 * growable Uint32Array of (slot, tf) pairs. Removal is lazy: the slot is marked dead and its
 * postings stay until a compaction purges them (when dead postings or waiting slots reach a
 * quarter of the live ones), after which the slot is reused. A search accumulates into a
 * reusable Float64Array and keeps the best k in a bounded heap, so it costs one pass over the
 * query terms' postings plus O(touched · log k).
 *
 * @example const idx = new Bm25Index(createTokenizer()); idx.add('c1', '网关路由'); idx.search('路由', 5)
 */
export class Bm25Index {
  readonly params: Bm25Params;

  // Documents, by slot.
  private readonly slotOf = new Map<string, number>();
  private idOf: (string | undefined)[] = [];
  /** Per slot: term ids, then their counts (length 2 × distinct terms). */
  private forward: (Uint32Array | undefined)[] = [];
  private lengths = new Float64Array(16);
  private alive = new Uint8Array(16);
  private slotCount = 0;
  /** Removed slots whose postings may still be in the term lists: reusable after compaction. */
  private pending: number[] = [];
  private free: number[] = [];
  private totalLength = 0;

  // Terms, by term id.
  private readonly termOf = new Map<string, number>();
  private terms: (string | undefined)[] = [];
  /** (slot, tf) pairs, `2 × postingCount[t]` entries used. */
  private postings: Uint32Array[] = [];
  private postingCount = new Int32Array(16);
  /** Live documents containing the term (the `n(t)` of idf). */
  private df = new Int32Array(16);
  /** Postings of the term that belong to removed slots. */
  private dead = new Int32Array(16);
  private dirtyTerms: number[] = [];
  private freeTerms: number[] = [];
  private livePostings = 0;
  private deadPostings = 0;

  // Search scratch, sized to the slot capacity.
  private scores = new Float64Array(16);
  private stamp = new Uint32Array(16);
  private epoch = 0;
  private touched = new Int32Array(16);

  constructor(
    private readonly tokenize: Tokenize,
    params: Partial<Bm25Params> = {},
  ) {
    this.params = { k1: params.k1 ?? 1.2, b: params.b ?? 0.75 };
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(id: string, text: string): void {
    const tf = new Map<string, number>();
    for (const t of this.tokenize(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    this.addCounts(id, tf);
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const fwd = this.forward[slot]!;
    const distinct = fwd.length >>> 1;
    for (let i = 0; i < distinct; i++) {
      const t = fwd[i]!;
      this.df[t]!--;
      if (this.dead[t]!++ === 0) this.dirtyTerms.push(t);
    }
    this.livePostings -= distinct;
    this.deadPostings += distinct;
    this.totalLength -= this.lengths[slot]!;
    this.alive[slot] = 0;
    this.idOf[slot] = undefined;
    this.forward[slot] = undefined;
    this.slotOf.delete(id);
    this.pending.push(slot);
    if (this.deadPostings > 1024 + (this.livePostings >>> 2) || this.pending.length > 64 + (this.slotOf.size >>> 2)) this.compact();
    return true;
  }

  search(query: string, k: number): SearchHit[] {
    const n = this.slotOf.size;
    if (n === 0 || k <= 0) return [];
    const { k1, b } = this.params;
    const avgLength = this.totalLength / n || 1;
    const { postings, postingCount, df, dead, lengths, alive, scores, stamp, touched } = this;
    if (++this.epoch > 0xffffffff) {
      stamp.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    let m = 0;
    for (const term of new Set(this.tokenize(query))) {
      const t = this.termOf.get(term);
      if (t === undefined || df[t] === 0) continue;
      const nt = df[t]!;
      // The "+1" form of idf never goes negative, so a term in most documents still counts a little.
      const idf = Math.log(1 + (n - nt + 0.5) / (nt + 0.5));
      const list = postings[t]!;
      const end = postingCount[t]! * 2;
      const checkAlive = dead[t]! > 0;
      for (let i = 0; i < end; i += 2) {
        const d = list[i]!;
        if (checkAlive && alive[d] === 0) continue;
        const tf = list[i + 1]!;
        // The same expression, in the same order, as the textbook form: scores match it exactly.
        const norm = tf + k1 * (1 - b + (b * lengths[d]!) / avgLength);
        const score = (idf * tf * (k1 + 1)) / norm;
        if (stamp[d] !== epoch) {
          stamp[d] = epoch;
          scores[d] = score;
          touched[m++] = d;
        } else {
          scores[d]! += score;
        }
      }
    }
    return this.best(m, Math.min(Math.trunc(k), m));
  }

  toJSON(): Bm25Json {
    const docs: Record<string, Record<string, number>> = {};
    for (const [id, slot] of this.slotOf) {
      const fwd = this.forward[slot]!;
      const distinct = fwd.length >>> 1;
      const tf: Record<string, number> = {};
      for (let i = 0; i < distinct; i++) tf[this.terms[fwd[i]!]!] = fwd[distinct + i]!;
      docs[id] = tf;
    }
    return { version: 1, params: { ...this.params }, docs };
  }

  static fromJSON(json: Bm25Json, tokenize: Tokenize): Bm25Index {
    const idx = new Bm25Index(tokenize, json.params);
    for (const [id, tf] of Object.entries(json.docs)) idx.addCounts(id, Object.entries(tf));
    return idx;
  }

  stats(): Bm25Stats {
    return {
      docs: this.slotOf.size,
      slots: this.slotCount,
      freeSlots: this.free.length,
      terms: this.termOf.size - this.countEmptyTerms(),
      postings: this.livePostings,
      deadPostings: this.deadPostings,
    };
  }

  private addCounts(id: string, tf: Iterable<[string, number]>): void {
    this.remove(id);
    const entries = [...tf];
    const distinct = entries.length;
    const slot = this.allocateSlot();
    const fwd = new Uint32Array(distinct * 2);
    let length = 0;
    for (let i = 0; i < distinct; i++) {
      const [term, count] = entries[i]!;
      length += count;
      const t = this.internTerm(term);
      fwd[i] = t;
      fwd[distinct + i] = count;
      this.appendPosting(t, slot, count);
      this.df[t]!++;
    }
    this.livePostings += distinct;
    this.slotOf.set(id, slot);
    this.idOf[slot] = id;
    this.forward[slot] = fwd;
    this.lengths[slot] = length;
    this.alive[slot] = 1;
    this.totalLength += length;
  }

  /** Top `want` of the `m` touched slots, best first (`byScoreThenId`). */
  private best(m: number, want: number): SearchHit[] {
    if (!(want > 0)) return [];
    const { scores, touched, idOf } = this;
    const hit = (d: number): SearchHit => ({ id: idOf[d]!, score: scores[d]! });
    if (want >= m) {
      const all = new Array<SearchHit>(m);
      for (let i = 0; i < m; i++) all[i] = hit(touched[i]!);
      return all.sort(byScoreThenId);
    }
    // A min-heap of the best `want` so far, worst at the root.
    const worse = (a: number, c: number) => scores[a]! < scores[c]! || (scores[a] === scores[c] && idOf[a]! > idOf[c]!);
    const heap = new Int32Array(want);
    let size = 0;
    const siftDown = (at: number) => {
      const d = heap[at]!;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && worse(heap[child + 1]!, heap[child]!)) child++;
        if (!worse(heap[child]!, d)) break;
        heap[at] = heap[child]!;
        at = child;
      }
      heap[at] = d;
    };
    for (let i = 0; i < m; i++) {
      const d = touched[i]!;
      if (size < want) {
        let at = size++;
        while (at > 0) {
          const parent = (at - 1) >> 1;
          if (!worse(d, heap[parent]!)) break;
          heap[at] = heap[parent]!;
          at = parent;
        }
        heap[at] = d;
      } else if (worse(heap[0]!, d)) {
        heap[0] = d;
        siftDown(0);
      }
    }
    const out = new Array<SearchHit>(size);
    for (let i = 0; i < size; i++) out[i] = hit(heap[i]!);
    return out.sort(byScoreThenId);
  }

  private allocateSlot(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const slot = this.slotCount++;
    if (slot >= this.lengths.length) {
      const cap = this.lengths.length * 2;
      this.lengths = grow(this.lengths, cap);
      this.alive = grow(this.alive, cap);
      this.scores = grow(this.scores, cap);
      this.stamp = grow(this.stamp, cap);
      this.touched = grow(this.touched, cap);
    }
    return slot;
  }

  private internTerm(term: string): number {
    let t = this.termOf.get(term);
    if (t !== undefined) return t;
    t = this.freeTerms.pop();
    if (t === undefined) {
      t = this.terms.length;
      this.terms.push(undefined);
      this.postings.push(EMPTY);
      if (t >= this.df.length) {
        const cap = this.df.length * 2;
        this.df = grow(this.df, cap);
        this.dead = grow(this.dead, cap);
        this.postingCount = grow(this.postingCount, cap);
      }
    }
    this.terms[t] = term;
    this.termOf.set(term, t);
    return t;
  }

  private appendPosting(t: number, slot: number, tf: number): void {
    let list = this.postings[t]!;
    const at = this.postingCount[t]! * 2;
    if (at + 2 > list.length) {
      // Double while small, then grow by half: the slack of long lists stays bounded.
      const cap = list.length < 64 ? Math.max(4, list.length * 2) : list.length + (list.length >>> 1);
      list = grow(list, cap + (cap & 1));
      this.postings[t] = list;
    }
    list[at] = slot;
    list[at + 1] = tf;
    this.postingCount[t]!++;
  }

  /** Purges removed slots' postings from the terms that have any, frees terms left empty, then frees those slots. */
  private compact(): void {
    const { alive, postings, postingCount, df, dead } = this;
    for (const t of this.dirtyTerms) {
      const list = postings[t]!;
      const end = postingCount[t]! * 2;
      let w = 0;
      for (let r = 0; r < end; r += 2) {
        if (alive[list[r]!] === 0) continue;
        list[w] = list[r]!;
        list[w + 1] = list[r + 1]!;
        w += 2;
      }
      postingCount[t] = w >>> 1;
      dead[t] = 0;
      if (df[t] === 0) {
        this.termOf.delete(this.terms[t]!);
        this.terms[t] = undefined;
        postings[t] = EMPTY;
        this.freeTerms.push(t);
      } else if (list.length > 64 && w * 2 < list.length) {
        postings[t] = list.slice(0, w + (w >>> 1) + ((w >>> 1) & 1));
      }
    }
    this.dirtyTerms = [];
    this.deadPostings = 0;
    for (const slot of this.pending) this.free.push(slot);
    this.pending = [];
  }

  private countEmptyTerms(): number {
    let empty = 0;
    for (const t of this.dirtyTerms) if (this.df[t] === 0) empty++;
    return empty;
  }
}

const EMPTY = new Uint32Array(0);

type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;

function grow<T extends Typed>(a: T, capacity: number): T {
  const out = new (a.constructor as new (n: number) => T)(capacity);
  out.set(a as never);
  return out;
}
