import type { Kysely, Transaction } from 'kysely';
import { BaimoError } from '../../protocol/errors.js';
import type { Chunk } from '../chunk/index.js';
import type { KbDocumentsTable, KbStage, KnowledgeTables } from './tables.js';
import { bytesToVector, vectorToBytes } from './vector-bytes.js';
import type { VectorStore } from './vector-store.js';

/**
 * Documents and their ingestion state. A document's chunks are staged in kb_pending_chunks
 * (written once after parsing, embedded batch by batch: that is the resumable checkpoint) and
 * moved into kb_chunks in one transaction at the end, which also retires the previous version of
 * the same name. Searches therefore see either the old version or the new one, never half.
 */

export type KbDocument = KbDocumentsTable;

export const documentNotFound = (id: string) =>
  new BaimoError('not_found', `No document '${id}' in this knowledge base.`, { status: 404, code: 'document_not_found', param: 'document_id' });

export interface NewDocument {
  kbId: string;
  orgId: string;
  name: string;
  source: string;
  metadata: Record<string, string | number | boolean>;
  /** Uploaded bytes; absent for a URL (fetched by the job). */
  bytes?: Buffer;
  /** Known at upload (from content type and name); detected after the fetch for URLs. */
  format?: string;
  contentHash?: string;
}

export interface PendingChunk {
  ordinal: number;
  text: string;
  /** JSON array of headings. */
  heading_path: string;
  hash: string;
}

export interface DocumentRepoDeps {
  db: Kysely<KnowledgeTables>;
  dialect: 'sqlite' | 'postgres';
  vectors: VectorStore;
  now: () => number;
  newId: (prefix: string) => string;
}

export function createDocumentRepo({ db, dialect, vectors, now, newId }: DocumentRepoDeps) {
  /**
   * Writers of one KB's chunks and tombstones take turns (PostgreSQL: a row lock on the KB), so
   * their `seq` values are in commit order and an index that caught up to seq N never later
   * meets a commit below N. SQLite has one writer at a time anyway.
   */
  async function lockKb(trx: Transaction<KnowledgeTables>, kbId: string): Promise<void> {
    if (dialect === 'postgres') await trx.selectFrom('knowledge_bases').select('id').where('id', '=', kbId).forUpdate().execute();
  }

  /** Deletes chunks of these documents, leaving tombstones for in-process indexes. */
  async function retireChunks(trx: Transaction<KnowledgeTables>, kbId: string, documentIds: readonly string[]): Promise<void> {
    if (documentIds.length === 0) return;
    const ids = (await trx.selectFrom('kb_chunks').select('id').where('document_id', 'in', documentIds).execute()).map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await trx.insertInto('kb_tombstones').values(batch.map((chunk_id) => ({ kb_id: kbId, chunk_id }))).execute();
      await trx.deleteFrom('kb_chunks').where('id', 'in', batch).execute();
      await vectors.removed(trx, kbId, batch);
    }
  }

  async function removeDocuments(trx: Transaction<KnowledgeTables>, kbId: string, documentIds: readonly string[]): Promise<void> {
    if (documentIds.length === 0) return;
    await retireChunks(trx, kbId, documentIds);
    await trx.deleteFrom('kb_pending_chunks').where('document_id', 'in', documentIds).execute();
    await trx.deleteFrom('kb_document_sources').where('document_id', 'in', documentIds).execute();
    await trx.deleteFrom('kb_documents').where('id', 'in', documentIds).execute();
  }

  return {
    /** Creates the document row (and its source bytes), and runs `enqueue` in the same transaction. */
    async create(input: NewDocument, enqueue: (trx: Kysely<any>, documentId: string) => Promise<unknown>): Promise<KbDocument> {
      const t = now();
      const row: KbDocument = {
        id: newId('doc'),
        kb_id: input.kbId,
        org_id: input.orgId,
        name: input.name,
        source: input.source,
        format: input.format ?? null,
        bytes: input.bytes?.byteLength ?? 0,
        content_hash: input.contentHash ?? null,
        metadata: JSON.stringify(input.metadata),
        status: 'queued',
        stage: 'queued',
        progress_done: 0,
        progress_total: 0,
        chunk_count: 0,
        error_code: null,
        error_message: null,
        created_at: t,
        updated_at: t,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('kb_documents').values(row).execute();
        if (input.bytes) await trx.insertInto('kb_document_sources').values({ document_id: row.id, bytes: input.bytes }).execute();
        await enqueue(trx, row.id);
      });
      return row;
    },

    get(id: string): Promise<KbDocument | undefined> {
      return db.selectFrom('kb_documents').selectAll().where('id', '=', id).executeTakeFirst();
    },

    list(kbId: string, status?: string): Promise<KbDocument[]> {
      let q = db.selectFrom('kb_documents').selectAll().where('kb_id', '=', kbId);
      if (status) q = q.where('status', '=', status as KbDocument['status']);
      return q.orderBy('created_at').orderBy('id').execute();
    },

    /** The live (ready or in-flight) document of this name with exactly this content, if any. */
    findSame(kbId: string, name: string, contentHash: string): Promise<KbDocument | undefined> {
      return db
        .selectFrom('kb_documents')
        .selectAll()
        .where('kb_id', '=', kbId)
        .where('name', '=', name)
        .where('content_hash', '=', contentHash)
        .where('status', '!=', 'failed')
        .executeTakeFirst();
    },

    async source(id: string): Promise<Buffer | undefined> {
      const row = await db.selectFrom('kb_document_sources').select('bytes').where('document_id', '=', id).executeTakeFirst();
      return row ? Buffer.from(row.bytes) : undefined;
    },

    async saveFetched(id: string, fetched: { bytes: Buffer; contentHash: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('kb_document_sources').where('document_id', '=', id).execute();
        await trx.insertInto('kb_document_sources').values({ document_id: id, bytes: fetched.bytes }).execute();
        await trx.updateTable('kb_documents').set({ bytes: fetched.bytes.byteLength, content_hash: fetched.contentHash, updated_at: now() }).where('id', '=', id).execute();
      });
    },

    async setStage(id: string, stage: KbStage, progress?: { done: number; total: number }, format?: string): Promise<void> {
      const set: Partial<KbDocument> = { status: 'processing', stage, updated_at: now() };
      if (progress) Object.assign(set, { progress_done: progress.done, progress_total: progress.total });
      if (format) set.format = format;
      await db.updateTable('kb_documents').set(set).where('id', '=', id).execute();
    },

    async fail(id: string, error: { code: string; message: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('kb_pending_chunks').where('document_id', '=', id).execute();
        await trx
          .updateTable('kb_documents')
          .set({ status: 'failed', error_code: error.code, error_message: error.message, updated_at: now() })
          .where('id', '=', id)
          .execute();
      });
    },

    /** Stages the parsed chunks (all or none), the checkpoint a resumed job starts from. */
    async stageChunks(id: string, chunks: readonly Chunk[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('kb_pending_chunks').where('document_id', '=', id).execute();
        for (let i = 0; i < chunks.length; i += 200) {
          const rows = chunks.slice(i, i + 200).map((c, j) => ({
            document_id: id,
            ordinal: i + j,
            text: c.text,
            tokens: c.tokens,
            start_offset: c.start,
            end_offset: c.end,
            page: c.page ?? null,
            heading_path: JSON.stringify(c.headingPath),
            hash: c.hash,
            embedding: null,
          }));
          if (rows.length > 0) await trx.insertInto('kb_pending_chunks').values(rows).execute();
        }
        await trx.updateTable('kb_documents').set({ progress_done: 0, progress_total: chunks.length, updated_at: now() }).where('id', '=', id).execute();
      });
    },

    async pendingCount(id: string): Promise<{ total: number; embedded: number }> {
      const row = await db
        .selectFrom('kb_pending_chunks')
        .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('embedding').as('embedded')])
        .where('document_id', '=', id)
        .executeTakeFirstOrThrow();
      return { total: Number(row.total), embedded: Number(row.embedded) };
    },

    async unembedded(id: string): Promise<PendingChunk[]> {
      return db.selectFrom('kb_pending_chunks').select(['ordinal', 'text', 'heading_path', 'hash']).where('document_id', '=', id).where('embedding', 'is', null).orderBy('ordinal').execute();
    },

    async saveEmbeddings(id: string, rows: readonly { ordinal: number; vector: Float32Array }[], embeddedSoFar: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (const r of rows) {
          await trx.updateTable('kb_pending_chunks').set({ embedding: vectorToBytes(r.vector) }).where('document_id', '=', id).where('ordinal', '=', r.ordinal).execute();
        }
        await trx.updateTable('kb_documents').set({ progress_done: embeddedSoFar, updated_at: now() }).where('id', '=', id).execute();
      });
    },

    /**
     * Moves the staged chunks into the KB and retires other documents of the same name, in one
     * transaction. `checkDimensions` runs inside it (fixes the KB's dimensions on first use).
     */
    async commit(doc: KbDocument, dims: number | undefined, checkDimensions: (trx: Kysely<KnowledgeTables>, dims: number) => Promise<boolean>): Promise<{ chunks: number } | { mismatch: true }> {
      return db.transaction().execute(async (trx) => {
        await lockKb(trx, doc.kb_id);
        // Deleted (or its KB deleted) while it was being embedded: nothing to commit.
        const live = await trx.selectFrom('kb_documents').select('id').where('id', '=', doc.id).executeTakeFirst();
        if (!live) return { chunks: 0 };
        if (dims !== undefined && !(await checkDimensions(trx, dims))) return { mismatch: true } as const;
        const older = await trx.selectFrom('kb_documents').select('id').where('kb_id', '=', doc.kb_id).where('name', '=', doc.name).where('id', '!=', doc.id).where('status', '=', 'ready').execute();
        await removeDocuments(trx, doc.kb_id, older.map((r) => r.id));
        const pending = await trx.selectFrom('kb_pending_chunks').selectAll().where('document_id', '=', doc.id).orderBy('ordinal').execute();
        for (let i = 0; i < pending.length; i += 200) {
          const rows = pending.slice(i, i + 200).map((p) => ({
            id: newId('chk'),
            kb_id: doc.kb_id,
            document_id: doc.id,
            ordinal: p.ordinal,
            text: p.text,
            tokens: p.tokens,
            start_offset: p.start_offset,
            end_offset: p.end_offset,
            page: p.page,
            heading_path: p.heading_path,
            hash: p.hash,
            embedding: p.embedding!,
          }));
          await trx.insertInto('kb_chunks').values(rows).execute();
          await vectors.added(trx, doc.kb_id, rows.map((r) => ({ id: r.id, vector: bytesToVector(r.embedding) })));
        }
        await trx.deleteFrom('kb_pending_chunks').where('document_id', '=', doc.id).execute();
        await trx
          .updateTable('kb_documents')
          .set({ status: 'ready', stage: 'done', chunk_count: pending.length, progress_done: pending.length, progress_total: pending.length, updated_at: now() })
          .where('id', '=', doc.id)
          .execute();
        return { chunks: pending.length };
      });
    },

    async delete(doc: KbDocument): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await lockKb(trx, doc.kb_id);
        await removeDocuments(trx, doc.kb_id, [doc.id]);
      });
    },

    /** Embeddings already paid for in this KB, by chunk hash (identical text is embedded once). */
    async embeddingsByHash(kbId: string, hashes: readonly string[]): Promise<Map<string, Buffer>> {
      const out = new Map<string, Buffer>();
      for (let i = 0; i < hashes.length; i += 500) {
        const rows = await db.selectFrom('kb_chunks').select(['hash', 'embedding']).where('kb_id', '=', kbId).where('hash', 'in', hashes.slice(i, i + 500)).execute();
        for (const r of rows) out.set(r.hash, Buffer.from(r.embedding));
      }
      return out;
    },
  };
}

export type DocumentRepo = ReturnType<typeof createDocumentRepo>;
