import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobsMigrations } from '../../src/jobs/queue.js';
import { evaluateRun, type Qrels } from '../../src/knowledge/eval/metrics.js';
import { openKnowledge, type Knowledge } from '../../src/knowledge/knowledge.js';
import type { SearchMode } from '../../src/knowledge/retrieval/retriever.js';
import type { KbDocument } from '../../src/knowledge/store/document-repo.js';
import type { KnowledgeBase } from '../../src/knowledge/store/kb-repo.js';
import { knowledgeMigrations } from '../../src/knowledge/store/tables.js';
import { createIdGenerator } from '../../src/server/ids.js';
import { migrate, type Store } from '../../src/store/index.js';
import { bagOfWords, waitFor } from '../support/knowledge.js';

/**
 * Knowledge bases on PostgreSQL with pgvector, at the service level: PGlite with the vector
 * extension plays the server, so `openKnowledge` picks the pgvector store and vectors are written
 * and searched by the database (the HTTP suite's PostgreSQL 15 has no pgvector and exercises the
 * in-process index instead). Ingestion runs through the real job queue and ingest handler.
 */

const DIMS = 64;
/**
 * The fake embedding model: bag of words, plus a few English → Chinese glossary terms standing in
 * for what a multilingual model knows (an English question finds a Chinese passage), so the vector
 * retriever can find what BM25 cannot, just as BM25's stemming finds what bag of words cannot.
 */
const GLOSSARY: [RegExp, string][] = [
  [/\brotat/i, '轮换'],
  [/\brevok/i, '吊销'],
  [/\bold\b/i, '旧'],
  [/\bkeys?\b/i, '密钥'],
  [/\busage\b/i, '用量'],
  [/\bpric/i, '价格'],
  [/\bmodels?\b/i, '模型'],
];
const embed = (text: string) =>
  Float32Array.from(bagOfWords([text, ...GLOSSARY.filter(([re]) => re.test(text)).map(([, zh]) => zh)].join(' '), DIMS));
const embedQuery = async (text: string) => embed(text);

const DOCS: { name: string; metadata: Record<string, string>; text: string }[] = [
  {
    name: 'routing.md',
    metadata: { lang: 'en', team: 'platform' },
    text: `# Routing

## Deployment choice

The router picks a deployment by priority first, then spreads traffic by weight among deployments of equal priority.

## Circuit breaker

A deployment that keeps failing is cooled down by the circuit breaker for a cooldown period before it receives traffic again.
`,
  },
  {
    name: 'billing-zh.md',
    metadata: { lang: 'zh', team: 'finance' },
    text: `# 计费说明

## 计费

每个请求的用量按模型价格计费，输入和输出 token 分开计价。

## 预算

组织的预算用尽后，新的请求会被拒绝，并返回 budget_exceeded 错误。
`,
  },
  {
    name: 'storage.md',
    metadata: { lang: 'en', team: 'platform' },
    text: `# Storage

## Embedded mode

Embedded mode keeps everything in one SQLite file inside the data directory, with the write-ahead log enabled.

## Scale-out mode

Scale-out mode stores state in PostgreSQL and shares rate limits through Redis.
`,
  },
  {
    name: 'keys-zh.md',
    metadata: { lang: 'zh', team: 'security' },
    text: `# 密钥

## 存储

API 密钥只以哈希形式保存，明文仅在创建时显示一次。

## 轮换

密钥轮换时先创建新密钥，再吊销旧密钥。
`,
  },
  {
    name: 'retrieval.md',
    metadata: { lang: 'mixed', team: 'platform' },
    text: `# 知识库检索

## 混合检索

混合检索把关键词检索和向量检索的结果用 reciprocal rank fusion 融合。

## 分词

中文分词使用 jieba, English words are stemmed before indexing.
`,
  },
  {
    name: 'observability.md',
    metadata: { lang: 'en', team: 'sre' },
    text: `# Observability

## Metrics

Prometheus scrapes the metrics endpoint for request counts and latency histograms.

## Request logs

Request logs are kept for thirty days and then purged by a periodic job.
`,
  },
];

/**
 * Query → the chunk it should find: the document, and a phrase only that chunk holds. Most are
 * found by both retrievers; `weak` names the retriever that is expected to rank it below first
 * (bag of words has no stemming; BM25 has no cross-lingual knowledge), which hybrid must fix.
 */
const QUERIES: { id: string; text: string; doc: string; phrase: string; weak?: 'keyword' | 'vector' }[] = [
  { id: 'q1', text: 'which deployment does the router pick by priority and weight', doc: 'routing.md', phrase: 'by priority first' },
  { id: 'q2', text: 'circuit breaker cooldown for a failing deployment', doc: 'routing.md', phrase: 'circuit breaker' },
  { id: 'q3', text: '预算用尽后请求会怎样', doc: 'billing-zh.md', phrase: '预算用尽' },
  { id: 'q4', text: 'API 密钥的明文显示几次', doc: 'keys-zh.md', phrase: '明文仅在创建时显示一次' },
  { id: 'q5', text: '混合检索 reciprocal rank fusion', doc: 'retrieval.md', phrase: 'reciprocal rank fusion' },
  { id: 'q6', text: 'write ahead logging', doc: 'storage.md', phrase: 'write-ahead log', weak: 'vector' },
  { id: 'q7', text: 'budget_exceeded', doc: 'billing-zh.md', phrase: 'budget_exceeded', weak: 'vector' },
  { id: 'q8', text: 'scrapes endpoint', doc: 'observability.md', phrase: 'Prometheus', weak: 'vector' },
  { id: 'q9', text: 'revoking an old key', doc: 'keys-zh.md', phrase: '吊销旧密钥', weak: 'keyword' },
  { id: 'q10', text: 'how is usage priced per model', doc: 'billing-zh.md', phrase: '按模型价格计费', weak: 'keyword' },
];

describe('knowledge bases on PostgreSQL + pgvector (PGlite)', () => {
  let store: Store;
  let knowledge: Knowledge;
  let db: Kysely<any>;
  let dataDir: string;
  const logs: string[] = [];
  const embedCalls: { orgId: string; model: string; texts: number }[] = [];
  let kb: KnowledgeBase;
  let other: KnowledgeBase;
  const docIds = new Map<string, string>();

  const add = async (target: KnowledgeBase, name: string, text: string, metadata: Record<string, string> = {}) => {
    const doc = await knowledge.docs.create(
      { kbId: target.id, orgId: target.org_id, name, source: 'upload', metadata, bytes: Buffer.from(text), format: 'markdown' },
      knowledge.enqueueIngest,
    );
    knowledge.queue.wake();
    return doc;
  };
  const settled = (id: string) =>
    waitFor(async () => {
      const doc = await knowledge.docs.get(id);
      return doc && (doc.status === 'ready' || doc.status === 'failed') ? doc : undefined;
    }, 30_000, `document ${id}`);
  const search = (query: string, mode: SearchMode, extra: { topK?: number; kbId?: string; filter?: { documentIds?: string[]; metadata?: Record<string, string> } } = {}) =>
    knowledge.search({ kbId: extra.kbId ?? kb.id, query, topK: extra.topK ?? 10, mode, filter: extra.filter, embedQuery });
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(db)).rows[0]!.n);
  const vectorCount = (kbId: string) => count(sql<{ n: number }>`select count(*) as n from kb_vectors where kb_id = ${kbId}`);
  const chunkCount = (kbId: string) => count(sql<{ n: number }>`select count(*) as n from kb_chunks where kb_id = ${kbId}`);
  const chunkIdsOf = async (documentId: string) =>
    (await sql<{ id: string }>`select id from kb_chunks where document_id = ${documentId} order by ordinal`.execute(db)).rows.map((r) => r.id);
  const vectorIds = async (kbId: string) =>
    new Set((await sql<{ chunk_id: string }>`select chunk_id from kb_vectors where kb_id = ${kbId}`.execute(db)).rows.map((r) => r.chunk_id));
  const indexNames = async () =>
    (await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'kb_vectors'`.execute(db)).rows.map((r) => r.indexname);

  beforeAll(async () => {
    const pglite = await PGlite.create({ extensions: { vector } });
    const kysely = new Kysely<object>({ dialect: new PGliteDialect(pglite) });
    store = { dialect: 'postgres', db: kysely, close: () => kysely.destroy() };
    db = kysely as Kysely<any>;
    await migrate(store.db, 'postgres', [jobsMigrations, knowledgeMigrations]);
    dataDir = await mkdtemp(join(tmpdir(), 'baimo-kb-pgvector-'));
    knowledge = await openKnowledge({
      store,
      indexDir: dataDir,
      now: () => Date.now(),
      newId: createIdGenerator(), // the production ids: kb_ + base64url, as pgvector's DDL expects
      log: (message, err) => logs.push(`${message}${err ? `: ${err instanceof Error ? err.stack : String(err)}` : ''}`),
      embedFor: (orgId, model) => async (texts) => {
        embedCalls.push({ orgId, model, texts: texts.length });
        return texts.map(embed);
      },
      fetchUrl: async () => ({ bytes: Buffer.from('# Fetched\n\nA fetched page about lighthouses and harbours.\n'), contentType: 'text/markdown' }),
      workers: 2,
      pollMs: 50,
    });
    await knowledge.start();

    kb = await knowledge.kbs.create({ orgId: 'org_a', name: 'handbook', description: null, embeddingModel: 'embed-model', maxTokens: 60, overlapTokens: 0, rerankModel: null });
    other = await knowledge.kbs.create({ orgId: 'org_b', name: 'handbook', description: null, embeddingModel: 'embed-model', maxTokens: 60, overlapTokens: 0, rerankModel: null });
    const created = await Promise.all(DOCS.map((d) => add(kb, d.name, d.text, d.metadata)));
    created.forEach((doc, i) => docIds.set(DOCS[i]!.name, doc.id));
    // Another org's KB with the very same routing text: its vectors must never leak into kb's results.
    const twin = await add(other, 'routing.md', DOCS[0]!.text);
    for (const doc of [...created, twin]) expect(await settled(doc.id), doc.name).toMatchObject({ status: 'ready', error_code: null });
  }, 60_000);

  afterAll(async () => {
    await knowledge?.close();
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('uses the pgvector store, writing one kb_vectors row per chunk in the database', async () => {
    expect(knowledge.vectors.kind).toBe('pgvector');
    const docs = await knowledge.docs.list(kb.id);
    expect(docs).toHaveLength(DOCS.length);
    for (const d of docs) {
      expect(d, d.name).toMatchObject({ status: 'ready', stage: 'done' });
      expect(d.chunk_count, d.name).toBeGreaterThanOrEqual(2); // one chunk per section at max_tokens 60
    }
    const total = docs.reduce((s, d) => s + d.chunk_count, 0);
    expect(await chunkCount(kb.id)).toBe(total);
    expect(await vectorCount(kb.id)).toBe(total);
    // The same chunk ids, each with a vector of the KB's dimensions.
    const chunkIds = (await sql<{ id: string }>`select id from kb_chunks where kb_id = ${kb.id}`.execute(db)).rows.map((r) => r.id);
    expect([...(await vectorIds(kb.id))].sort()).toEqual(chunkIds.sort());
    const dims = await sql<{ d: number }>`select distinct vector_dims(embedding) as d from kb_vectors where kb_id = ${kb.id}`.execute(db);
    expect(dims.rows.map((r) => Number(r.d))).toEqual([DIMS]);
    expect((await knowledge.kbs.find(kb.id, null))?.embedding_dimensions).toBe(DIMS);
    expect(await knowledge.kbs.stats([kb.id])).toEqual(new Map([[kb.id, { documents: DOCS.length, chunks: total }]]));
    // Per-KB partial HNSW indexes, and the other org's KB has its own rows.
    expect(await indexNames()).toEqual(expect.arrayContaining(['kb_vectors_kb_id', `kb_vectors_hnsw_${kb.id}`, `kb_vectors_hnsw_${other.id}`]));
    expect(await vectorCount(other.id)).toBe(await chunkCount(other.id));
    expect(await vectorCount(other.id)).toBeGreaterThan(0);
    expect(embedCalls.every((c) => c.model === 'embed-model')).toBe(true);
    expect(new Set(embedCalls.map((c) => c.orgId))).toEqual(new Set(['org_a', 'org_b']));
  });

  it('answers vector searches from the database, not from an in-process index', async () => {
    const idx = await knowledge.cache.get(kb.id);
    expect(idx.vectors).toBeUndefined(); // BM25 only in process
    expect(idx.bm25).toBeDefined();
    const spy = vi.spyOn(knowledge.vectors, 'search');
    try {
      const query = 'circuit breaker cooldown for a failing deployment';
      const hits = await search(query, 'vector', { topK: 5 });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0]).toBe(kb.id);
      expect(hits).toHaveLength(5);
      // Scores are 1 - pgvector's cosine distance, computed here by the database itself.
      const q = `[${Array.from(embed(query)).join(',')}]`;
      const { rows } = await sql<{ chunk_id: string; score: number }>`
        select chunk_id, 1 - (embedding <=> cast(${q} as vector)) as score from kb_vectors
        where kb_id = ${kb.id} order by score desc, chunk_id limit 5`.execute(db);
      expect(hits.map((h) => h.chunk.id)).toEqual(rows.map((r) => r.chunk_id));
      hits.forEach((h, i) => expect(h.scores.vector).toBeCloseTo(Number(rows[i]!.score), 5));
      expect(hits[0]!.chunk.text).toContain('circuit breaker');
      // Only this KB's rows: the other org's identical routing chunks are never returned.
      const otherChunks = new Set((await sql<{ id: string }>`select id from kb_chunks where kb_id = ${other.id}`.execute(db)).rows.map((r) => r.id));
      const all = await search(query, 'vector', { topK: 50 });
      expect(all).toHaveLength(await chunkCount(kb.id));
      expect(all.some((h) => otherChunks.has(h.chunk.id))).toBe(false);
      // Keyword mode never asks the vector store.
      spy.mockClear();
      await search(query, 'keyword');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    // Only BM25 is saved to the data dir: the vectors live in PostgreSQL.
    await knowledge.cache.flush();
    expect((await readdir(join(dataDir, 'knowledge', kb.id))).sort()).toEqual(['bm25.json', 'manifest.json']);
  });


  it('finds the labelled chunk for English and Chinese queries; hybrid MRR is at least each retriever’s', async () => {
    const rows = (await sql<{ id: string; document_id: string; text: string }>`select id, document_id, text from kb_chunks where kb_id = ${kb.id}`.execute(db)).rows;
    const qrels: Qrels = new Map();
    for (const q of QUERIES) {
      const relevant = rows.filter((r) => r.document_id === docIds.get(q.doc) && r.text.includes(q.phrase));
      expect(relevant, q.id).toHaveLength(1); // the label names exactly one chunk
      qrels.set(q.id, new Map([[relevant[0]!.id, 1]]));
    }
    const mrr: Partial<Record<SearchMode, number>> = {};
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
      const rankings = new Map<string, string[]>();
      for (const q of QUERIES) {
        const hits = await search(q.text, mode, { topK: 10 });
        rankings.set(q.id, hits.map((h) => h.chunk.id));
        const expected = [...qrels.get(q.id)!.keys()][0]!;
        if (q.weak !== mode) {
          expect(hits[0]?.chunk.id, `${mode} ${q.id}: ${q.text}`).toBe(expected);
        }
        if (mode === 'hybrid') {
          expect(hits[0]!.chunk).toMatchObject({ document_id: docIds.get(q.doc), document_name: q.doc, source: 'upload' });
          expect(hits[0]!.chunk.end).toBeGreaterThan(hits[0]!.chunk.start);
        }
        // Vector search always has candidates (the bag-of-words stand-in ranks its weak queries anywhere).
        if (mode === 'vector') expect(hits.length, `vector ${q.id}`).toBeGreaterThan(0);
        // BM25 knows no Chinese for an English question: nothing matches at all.
        if (mode === 'keyword' && q.weak === 'keyword') expect(hits, `keyword ${q.id}`).toEqual([]);
      }
      const run = evaluateRun(rankings, qrels, 10);
      expect(run.evaluated).toBe(QUERIES.length);
      mrr[mode] = run.mean!.mrr;
    }
    // Each single retriever misses some of the set; fused, every labelled chunk comes first.
    expect(mrr.keyword!).toBeLessThan(1);
    expect(mrr.vector!).toBeLessThan(1);
    expect(mrr.hybrid).toBe(1);
    expect(mrr.hybrid!).toBeGreaterThanOrEqual(mrr.keyword!);
    expect(mrr.hybrid!).toBeGreaterThanOrEqual(mrr.vector!);
  });

  it('filters by metadata and by document in every mode (pgvector ranks only the allowed chunks)', async () => {
    const zhDocs = new Set([docIds.get('billing-zh.md'), docIds.get('keys-zh.md')]);
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
      // An English query about routing, restricted to Chinese documents: only those come back.
      const hits = await search('router deployment priority 预算 密钥', mode, { filter: { metadata: { lang: 'zh' } } });
      expect(hits.length, mode).toBeGreaterThan(0);
      expect(hits.every((h) => zhDocs.has(h.chunk.document_id)), mode).toBe(true);
      const team = await search('deployment storage metrics', mode, { filter: { metadata: { team: 'sre' } } });
      expect(new Set(team.map((h) => h.chunk.document_name)), mode).toEqual(new Set(['observability.md']));
      // A query about routing restricted to the storage document (sharing only "mode" with it).
      const byId = await search('circuit breaker in scale-out mode', mode, { filter: { documentIds: [docIds.get('storage.md')!] } });
      expect(byId.length, mode).toBeGreaterThan(0);
      expect(byId.every((h) => h.chunk.document_name === 'storage.md'), mode).toBe(true);
      expect(await search('circuit breaker', mode, { filter: { metadata: { team: 'nobody' } } }), mode).toEqual([]);
    }
    // The filtered vector search ranks exactly within the allowed set, best first.
    const vec = await search('预算用尽后请求会怎样', 'vector', { filter: { metadata: { lang: 'zh' } } });
    expect(vec[0]!.chunk.text).toContain('预算用尽');
    expect(vec).toHaveLength((await chunkIdsOf(docIds.get('billing-zh.md')!)).length + (await chunkIdsOf(docIds.get('keys-zh.md')!)).length);
  });

  it('replacing a document (same name, new content) removes its old vectors from kb_vectors', async () => {
    const oldId = docIds.get('storage.md')!;
    const oldChunks = await chunkIdsOf(oldId);
    expect(oldChunks.length).toBeGreaterThan(0);
    const replacement = await add(kb, 'storage.md', '# Storage\n\n## Object storage\n\nUploaded files are kept in S3 buckets with versioning turned on.\n', { lang: 'en', team: 'platform' });
    expect(await settled(replacement.id)).toMatchObject({ status: 'ready' });
    docIds.set('storage.md', replacement.id);

    expect(await knowledge.docs.get(oldId)).toBeUndefined();
    const present = await vectorIds(kb.id);
    expect(oldChunks.filter((id) => present.has(id))).toEqual([]);
    const newChunks = await chunkIdsOf(replacement.id);
    expect(newChunks.length).toBeGreaterThan(0);
    expect(newChunks.every((id) => present.has(id))).toBe(true);
    expect(await vectorCount(kb.id)).toBe(await chunkCount(kb.id));
    const docs = await knowledge.docs.list(kb.id);
    expect(docs.filter((d) => d.name === 'storage.md').map((d) => d.id)).toEqual([replacement.id]);
    expect(await vectorCount(kb.id)).toBe(docs.reduce((s, d) => s + d.chunk_count, 0));

    const fresh = await search('S3 buckets versioning', 'vector', { topK: 3 });
    expect(fresh[0]!.chunk.document_id).toBe(replacement.id);
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
      const stale = await search('SQLite file write-ahead log PostgreSQL Redis', mode, { topK: 50 });
      expect(stale.some((h) => h.chunk.document_id === oldId || oldChunks.includes(h.chunk.id)), mode).toBe(false);
    }
  });

  it('ingests a URL document through fetchUrl into pgvector too', async () => {
    const doc = await knowledge.docs.create({ kbId: kb.id, orgId: kb.org_id, name: 'lighthouse.md', source: 'https://example.test/lighthouse.md', metadata: {} }, knowledge.enqueueIngest);
    knowledge.queue.wake();
    const ready = await settled(doc.id);
    expect(ready).toMatchObject({ status: 'ready', format: 'markdown' });
    const ids = await chunkIdsOf(doc.id);
    const present = await vectorIds(kb.id);
    expect(ids.length).toBe(ready.chunk_count);
    expect(ids.every((id) => present.has(id))).toBe(true);
    expect((await search('lighthouses and harbours', 'vector', { topK: 1 }))[0]!.chunk.document_id).toBe(doc.id);
  });

  it('deleting a document removes its vectors; deleting the KB removes the rest and its HNSW index', async () => {
    const doomed: KbDocument = (await knowledge.docs.get(docIds.get('observability.md')!))!;
    const doomedChunks = await chunkIdsOf(doomed.id);
    const before = await vectorCount(kb.id);
    await knowledge.docs.delete(doomed);
    const present = await vectorIds(kb.id);
    expect(doomedChunks.filter((id) => present.has(id))).toEqual([]);
    expect(await vectorCount(kb.id)).toBe(before - doomedChunks.length);
    expect(await vectorCount(kb.id)).toBe(await chunkCount(kb.id));
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
      const hits = await search('Prometheus metrics endpoint latency', mode, { topK: 50 });
      expect(hits.some((h) => h.chunk.document_id === doomed.id), mode).toBe(false);
    }

    const otherVectors = await vectorCount(other.id);
    await knowledge.kbs.delete(kb);
    expect(await vectorCount(kb.id)).toBe(0);
    expect(await chunkCount(kb.id)).toBe(0);
    expect(await indexNames()).not.toContain(`kb_vectors_hnsw_${kb.id}`);
    expect(await knowledge.kbs.find(kb.id, null)).toBeUndefined();
    expect(await knowledge.docs.list(kb.id)).toEqual([]);
    // The in-process BM25 index of the KB is forgotten too, files included.
    await knowledge.cache.flush();
    expect(existsSync(join(dataDir, 'knowledge', kb.id))).toBe(false);
    // The other org's KB is untouched and still searchable.
    expect(await vectorCount(other.id)).toBe(otherVectors);
    expect(await indexNames()).toContain(`kb_vectors_hnsw_${other.id}`);
    const hits = await search('circuit breaker cooldown', 'hybrid', { kbId: other.id, topK: 1 });
    expect(hits[0]!.chunk.text).toContain('circuit breaker');
    // The deleted KB's searches come back empty in every mode.
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) expect(await search('circuit breaker', mode), mode).toEqual([]);
  });

  it('ran every ingestion job to success without logging errors', async () => {
    const jobs = await sql<{ status: string; n: number }>`select status, count(*) as n from jobs group by status`.execute(db);
    expect(jobs.rows.map((r) => [r.status, Number(r.n)])).toEqual([['succeeded', DOCS.length + 3]]);
    expect(logs).toEqual([]);
  });
});
