import { join } from 'node:path';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import type { Store } from '../store/index.js';
import type { EmbedCall } from './embed/embed-batches.js';
import { createTokenizer } from './index/tokenizer.js';
import { createOffThreadChunker } from './ingest/chunk-off-thread.js';
import { createIngestHandler, INGEST_JOB, type FetchedDocument } from './ingest/ingest-job.js';
import { KbIndexCache } from './retrieval/kb-index-cache.js';
import { createMemoryVectorStore } from './retrieval/memory-vector-store.js';
import { retrieve, type RetrievedChunk, type SearchInput } from './retrieval/retriever.js';
import { createChunkRepo, type ChunkRepo } from './store/chunk-repo.js';
import { createDocumentRepo, type DocumentRepo } from './store/document-repo.js';
import { createKbRepo, type KbRepo } from './store/kb-repo.js';
import { createPgvectorStore } from './store/pgvector-store.js';
import type { KnowledgeTables } from './store/tables.js';
import type { VectorStore } from './store/vector-store.js';

/**
 * The knowledge module, assembled: repositories over its tables, the vector store of this mode
 * (pgvector when the PostgreSQL server has it, else in-process HNSW), the per-KB index cache,
 * and the ingestion workers on the durable job queue.
 */

export interface KnowledgeOptions {
  store: Store;
  /** Where in-process indexes are saved (the data dir); none keeps them in memory only. */
  indexDir?: string;
  now: () => number;
  newId: (prefix: string) => string;
  log: (message: string, err?: unknown) => void;
  embedFor: (orgId: string, model: string) => EmbedCall;
  fetchUrl: (url: string, signal: AbortSignal) => Promise<FetchedDocument>;
  /** Ingestion jobs run at once by this process. */
  workers?: number;
  embedConcurrency?: number;
  /** Job lease; a crashed worker's job is resumed elsewhere after this. */
  leaseMs?: number;
  pollMs?: number;
  /** In-memory index bounds (KBs, chunks); least recently searched KBs are unloaded beyond them. */
  cacheMaxKbs?: number;
  cacheMaxChunks?: number;
}

export interface Knowledge {
  kbs: KbRepo;
  docs: DocumentRepo;
  chunks: ChunkRepo;
  vectors: VectorStore;
  cache: KbIndexCache;
  queue: JobQueue;
  /** Queue the ingestion of a document inside the transaction that creates it. */
  enqueueIngest: Parameters<DocumentRepo['create']>[1];
  search(input: SearchInput): Promise<RetrievedChunk[]>;
  /** Start the ingestion workers (after migrations, before listening is fine). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function openKnowledge(opts: KnowledgeOptions): Promise<Knowledge> {
  const db = opts.store.db.withTables<KnowledgeTables>();
  const chunks = createChunkRepo(db);
  const pgvector = opts.store.dialect === 'postgres' ? await createPgvectorStore(db) : undefined;
  const orphans = await pgvector?.sweepOrphans();
  if (orphans) opts.log(`knowledge: removed ${orphans} vectors of deleted knowledge bases (left by an interrupted delete)`);
  const cache = new KbIndexCache({
    chunks,
    tokenize: createTokenizer(),
    memoryVectors: !pgvector,
    dir: opts.indexDir ? join(opts.indexDir, 'knowledge') : undefined,
    maxKbs: opts.cacheMaxKbs,
    maxChunks: opts.cacheMaxChunks,
    log: opts.log,
  });
  const vectors: VectorStore = pgvector ?? createMemoryVectorStore(cache);
  const kbRepo = createKbRepo({ db, vectors, now: opts.now, newId: opts.newId });
  const kbs: KbRepo = {
    ...kbRepo,
    // A deleted KB's in-process indexes (and their files) go too: with pgvector, vectors.drop does not reach the cache.
    async delete(kb) {
      await kbRepo.delete(kb);
      if (pgvector) await cache.drop(kb.id);
    },
  };
  const docs = createDocumentRepo({ db, dialect: opts.store.dialect, vectors, now: opts.now, newId: opts.newId });
  const queue = createJobQueue({
    store: opts.store,
    now: opts.now,
    newId: opts.newId,
    log: opts.log,
    concurrency: opts.workers ?? 2,
    leaseMs: opts.leaseMs,
    pollMs: opts.pollMs,
    exclusive: opts.store.dialect === 'sqlite',
  });
  const chunker = createOffThreadChunker();
  const handler = createIngestHandler({
    chunk: chunker.chunk,
    docs,
    kbs,
    embedFor: opts.embedFor,
    fetchUrl: opts.fetchUrl,
    embedConcurrency: opts.embedConcurrency,
    // Bring the in-process indexes up to date now rather than on the next search.
    onCommitted: (kbId) => void cache.get(kbId).catch((err: unknown) => opts.log(`indexing ${kbId} failed`, err)),
    log: opts.log,
  });

  return {
    kbs,
    docs,
    chunks,
    vectors,
    cache,
    queue,
    async enqueueIngest(trx, documentId) {
      const doc = await trx.selectFrom('kb_documents').select('org_id').where('id', '=', documentId).executeTakeFirst();
      // Committed with the document; whoever created it wakes the queue after the commit.
      await queue.enqueue({ kind: INGEST_JOB, orgId: doc?.org_id ?? null, payload: { documentId } }, trx);
    },
    search: (input) => retrieve({ cache, vectors, chunks }, input),
    start: () => queue.start({ [INGEST_JOB]: handler }),
    async close() {
      await queue.stop();
      await chunker.close();
      await cache.close();
      await vectors.close();
    },
  };
}
