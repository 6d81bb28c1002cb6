/**
 * Retrieval evaluation: TREC/BEIR qrels and BEIR queries parsing, and recall@k, MRR@10 and
 * nDCG@10 over ranked candidate ids. Pure functions; `baimo kb eval` feeds them search results.
 *
 * Conventions (those of trec_eval / pytrec_eval, which BEIR reports):
 * - a judgment with relevance > 0 is relevant; 0 and negative grades are judged non-relevant;
 * - nDCG uses the grade itself as the gain (linear gain) and the log2(rank + 1) discount, and the
 *   ideal DCG is computed from the qrels' own grades, best first;
 * - a ranking that names an id twice keeps its first (best) rank: later copies are dropped before
 *   cutting at k, so a relevant id is counted once and the ids after it move up;
 * - queries without any relevant judgment are excluded from the means and counted as skipped.
 */

/** Relevance judgments: query id → corpus id → grade. */
export type Qrels = Map<string, Map<string, number>>;

export interface EvalQuery {
  id: string;
  text: string;
}

export interface QueryScores {
  queryId: string;
  recall: number;
  mrr: number;
  ndcg: number;
}

export interface MeanScores {
  recall: number;
  mrr: number;
  ndcg: number;
}

export interface RunScores {
  perQuery: QueryScores[];
  /** Means over `perQuery`; null when no query could be evaluated. */
  mean: MeanScores | null;
  /** Queries scored. */
  evaluated: number;
  /** Queries left out of the means because the qrels hold no relevant document for them. */
  skipped: number;
}

/** The rank cut of MRR and nDCG. */
export const RANK_CUTOFF = 10;

/**
 * TREC/BEIR qrels: `query-id corpus-id score` (BEIR TSV) or `query-id iteration corpus-id relevance`
 * (TREC). Tab-separated, or whitespace-separated when a line holds no tab. A first line whose
 * grade is not a number is a header. A pair judged twice keeps its highest grade.
 */
export function parseQrels(text: string): Qrels {
  const qrels: Qrels = new Map();
  const lines = text.split(/\r?\n/);
  let seenData = false;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const columns = (line.includes('\t') ? line.split('\t') : line.split(/\s+/)).map((c) => c.trim());
    if (columns.length !== 3 && columns.length !== 4) {
      throw new Error(`qrels line ${index + 1}: expected 3 columns (query-id corpus-id score) or 4 (query-id iteration corpus-id relevance), got ${columns.length}.`);
    }
    const [queryId, corpusId, grade] = columns.length === 3 ? [columns[0]!, columns[1]!, columns[2]!] : [columns[0]!, columns[2]!, columns[3]!];
    const relevance = grade === '' ? Number.NaN : Number(grade);
    if (!Number.isFinite(relevance)) {
      if (!seenData) {
        seenData = true; // the header
        return;
      }
      throw new Error(`qrels line ${index + 1}: relevance '${grade}' is not a number.`);
    }
    seenData = true;
    if (queryId === '' || corpusId === '') throw new Error(`qrels line ${index + 1}: empty query or corpus id.`);
    let judged = qrels.get(queryId);
    if (!judged) qrels.set(queryId, (judged = new Map()));
    judged.set(corpusId, Math.max(relevance, judged.get(corpusId) ?? -Infinity));
  });
  return qrels;
}

/** BEIR queries as JSON lines: `{"_id": "q1", "text": "…"}`, or `id` / `query`. Ids are unique. */
export function parseQueries(text: string): EvalQuery[] {
  const queries: EvalQuery[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`queries line ${index + 1}: not JSON (${(err as Error).message}).`, { cause: err });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`queries line ${index + 1}: not a JSON object.`);
    const record = value as Record<string, unknown>;
    const id = record._id ?? record.id;
    const query = record.text ?? record.query;
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') throw new Error(`queries line ${index + 1}: no "_id" or "id".`);
    if (typeof query !== 'string' || query.trim() === '') throw new Error(`queries line ${index + 1}: no "text" or "query".`);
    if (seen.has(String(id))) throw new Error(`queries line ${index + 1}: duplicate query id '${String(id)}'.`);
    seen.add(String(id));
    queries.push({ id: String(id), text: query });
  });
  return queries;
}

/** The ids in first-seen order, each once. */
export function dedupeRanking(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Relevant ids (grade > 0) of one query's judgments. */
export function relevantIds(judged: ReadonlyMap<string, number> | undefined): string[] {
  return judged ? [...judged].filter(([, grade]) => grade > 0).map(([id]) => id) : [];
}

/** Fraction of the relevant ids found in the first k of the ranking. */
export function recallAt(ranking: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  const relevant = relevantIds(judged);
  if (relevant.length === 0) return 0;
  const top = new Set(dedupeRanking(ranking).slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** 1 / rank of the first relevant id within the first k, else 0. */
export function reciprocalRankAt(ranking: readonly string[], judged: ReadonlyMap<string, number>, k = RANK_CUTOFF): number {
  const index = dedupeRanking(ranking)
    .slice(0, k)
    .findIndex((id) => (judged.get(id) ?? 0) > 0);
  return index < 0 ? 0 : 1 / (index + 1);
}

/** DCG of grades listed by rank: Σ grade_i / log2(i + 1), i from 1, negative grades as 0. */
export function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, grade, i) => sum + Math.max(grade, 0) / Math.log2(i + 2), 0);
}

/** nDCG@k: the ranking's DCG over the DCG of the qrels' grades sorted best first. */
export function ndcgAt(ranking: readonly string[], judged: ReadonlyMap<string, number>, k = RANK_CUTOFF): number {
  const ideal = dcg(
    [...judged.values()]
      .filter((g) => g > 0)
      .sort((a, b) => b - a)
      .slice(0, k),
  );
  if (ideal === 0) return 0;
  const actual = dcg(
    dedupeRanking(ranking)
      .slice(0, k)
      .map((id) => judged.get(id) ?? 0),
  );
  return actual / ideal;
}

/** recall@k, MRR@10 and nDCG@10 of one query, or null when it has no relevant judgment. */
export function scoreQuery(queryId: string, ranking: readonly string[], judged: ReadonlyMap<string, number> | undefined, k: number): QueryScores | null {
  if (!judged || relevantIds(judged).length === 0) return null;
  return { queryId, recall: recallAt(ranking, judged, k), mrr: reciprocalRankAt(ranking, judged), ndcg: ndcgAt(ranking, judged) };
}

/** Scores every ranked query against the qrels; means over those with a relevant judgment. */
export function evaluateRun(rankings: ReadonlyMap<string, readonly string[]>, qrels: Qrels, k: number): RunScores {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}.`);
  const perQuery: QueryScores[] = [];
  let skipped = 0;
  for (const [queryId, ranking] of rankings) {
    const scores = scoreQuery(queryId, ranking, qrels.get(queryId), k);
    if (scores) perQuery.push(scores);
    else skipped++;
  }
  const n = perQuery.length;
  const mean =
    n === 0
      ? null
      : {
          recall: perQuery.reduce((s, q) => s + q.recall, 0) / n,
          mrr: perQuery.reduce((s, q) => s + q.mrr, 0) / n,
          ndcg: perQuery.reduce((s, q) => s + q.ndcg, 0) / n,
        };
  return { perQuery, mean, evaluated: n, skipped };
}
