import { basename, extname } from 'node:path';
import type { AdminClient } from '../tenancy/cli-client.js';
import { printJson, printTable, UsageError } from '../tenancy/cli.js';
import { dedupeRanking, evaluateRun, parseQrels, parseQueries, relevantIds, RANK_CUTOFF, type EvalQuery, type Qrels, type RunScores } from '../knowledge/eval/metrics.js';
import { kbPath, mapLimit, ProgressLine, type KbCliIo, type KnowledgeBaseJson, type SearchHitJson } from './kb-support.js';

/** `baimo kb eval`: recall@k, MRR@10 and nDCG@10 of each search mode against BEIR/TREC judgments. */

/** The search API's top_k ceiling (docs/knowledge.md). */
export const MAX_TOP_K = 50;
const SEARCH_CONCURRENCY = 4;

interface Mode {
  label: string;
  mode: 'keyword' | 'vector' | 'hybrid';
  rerank: boolean;
}

const MODES: Mode[] = [
  { label: 'keyword', mode: 'keyword', rerank: false },
  { label: 'vector', mode: 'vector', rerank: false },
  { label: 'hybrid', mode: 'hybrid', rerank: false },
  { label: 'hybrid+rerank', mode: 'hybrid', rerank: true },
];

export interface EvalOptions {
  queries: string;
  qrels: string;
  k: number;
  json: boolean;
}

/**
 * The ranking a list of hits stands for, in the ids the qrels use. A hit is named by the first of
 * its chunk id, document id, document name, or that name without its extension (with and without
 * its directories) that the qrels know; otherwise by its chunk id when the qrels judge chunks
 * (every judged id is a `chk_…`) and its document id when they judge documents. Repeats keep their
 * best rank, so a document found through several chunks counts once.
 */
export function rankedIds(hits: readonly SearchHitJson[], judgedIds: ReadonlySet<string>): string[] {
  const chunkLevel = judgedIds.size > 0 && [...judgedIds].every((id) => id.startsWith('chk_'));
  return dedupeRanking(
    hits.map((hit) => {
      const name = hit.document_name ?? '';
      const stem = name.slice(0, name.length - extname(name).length);
      const candidates = [hit.chunk_id, hit.document_id, name, stem, basename(stem)];
      return candidates.find((id) => id && judgedIds.has(id)) ?? (chunkLevel ? hit.chunk_id : hit.document_id);
    }),
  );
}

function readText(io: KbCliIo, path: string, flag: string): string {
  const text = io.readFile(path);
  if (text === undefined) throw new UsageError(`${flag}: cannot read ${path}.`);
  return text;
}

export async function evaluate(client: AdminClient, io: KbCliIo, kb: string, options: EvalOptions): Promise<number> {
  if (options.k > MAX_TOP_K) throw new UsageError(`--k: at most ${MAX_TOP_K} (the search API's top_k limit).`);
  let queries: EvalQuery[];
  let qrels: Qrels;
  try {
    queries = parseQueries(readText(io, options.queries, '--queries'));
    qrels = parseQrels(readText(io, options.qrels, '--qrels'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
  const judged = queries.filter((q) => relevantIds(qrels.get(q.id)).length > 0);
  const unjudged = queries.length - judged.length;
  const known = new Set(queries.map((q) => q.id));
  const missing = [...qrels.keys()].filter((id) => !known.has(id) && relevantIds(qrels.get(id)).length > 0).length;
  if (judged.length === 0) throw new Error(`no query in ${options.queries} has a relevant judgment (score > 0) in ${options.qrels}.`);

  const base = await client.call<KnowledgeBaseJson>('GET', kbPath(kb));
  const judgedIds = new Set([...qrels.values()].flatMap((m) => [...m.keys()]));
  const topK = Math.max(options.k, RANK_CUTOFF);
  const progress = new ProgressLine(io);
  const results: { mode: Mode; scores?: RunScores; skipped?: string }[] = [];

  for (const mode of MODES) {
    if (mode.rerank && !base.rerank_model) {
      results.push({ mode, skipped: 'the knowledge base has no rerank_model' });
      continue;
    }
    let done = 0;
    progress.log(`${mode.label}: ${judged.length} queries`);
    const rankings = await mapLimit(judged, SEARCH_CONCURRENCY, async (q) => {
      const answer = await client.call<{ data: SearchHitJson[] }>('POST', kbPath(base.id, '/search'), { query: q.text, top_k: topK, mode: mode.mode, rerank: mode.rerank });
      progress.update(`eval ${mode.label}: ${++done}/${judged.length} queries`);
      return [q.id, rankedIds(answer.data, judgedIds)] as const;
    });
    results.push({ mode, scores: evaluateRun(new Map(rankings), qrels, options.k) });
  }
  progress.clear();

  const k = options.k;
  if (options.json) {
    return printJson(io, {
      knowledge_base: base.id,
      k,
      top_k: topK,
      queries: judged.length,
      skipped_queries: unjudged,
      missing_queries: missing,
      modes: results.map(({ mode, scores, skipped }) =>
        scores
          ? {
              mode: mode.label,
              [`recall@${k}`]: scores.mean?.recall ?? null,
              'mrr@10': scores.mean?.mrr ?? null,
              'ndcg@10': scores.mean?.ndcg ?? null,
              queries: scores.evaluated,
              per_query: scores.perQuery.map((q) => ({ query_id: q.queryId, [`recall@${k}`]: q.recall, 'mrr@10': q.mrr, 'ndcg@10': q.ndcg })),
            }
          : { mode: mode.label, skipped },
      ),
    });
  }
  const fixed = (n: number | undefined) => (n === undefined ? null : n.toFixed(4));
  const rows = results
    .filter((r) => r.scores)
    .map(({ mode, scores }) => ({ mode: mode.label, recall: fixed(scores!.mean?.recall), mrr: fixed(scores!.mean?.mrr), ndcg: fixed(scores!.mean?.ndcg), queries: scores!.evaluated }));
  io.stdout(`Knowledge base ${base.name} (${base.id}), top_k ${topK}\n\n`);
  printTable(io, ['MODE', `RECALL@${k}`, 'MRR@10', 'NDCG@10', 'QUERIES'], rows, ['mode', 'recall', 'mrr', 'ndcg', 'queries']);
  const notes = results.filter((r) => r.skipped).map((r) => `${r.mode.label}: skipped, ${r.skipped}.`);
  if (unjudged > 0) notes.push(`${unjudged} quer${unjudged === 1 ? 'y' : 'ies'} without a relevant judgment in the qrels skipped.`);
  if (missing > 0) notes.push(`${missing} judged quer${missing === 1 ? 'y is' : 'ies are'} not in ${options.queries}.`);
  if (notes.length > 0) io.stdout(`\n${notes.join('\n')}\n`);
  return 0;
}
