import type { CreateTableBuilder, Generated } from 'kysely';
import type { MigrationSet } from '../../store/index.js';
import type { Dialect } from '../../store/store.js';

/**
 * The tables the knowledge module owns (house rule 2). Chunk rows are the source of truth for
 * both indexes: the vector index and BM25 are rebuilt or caught up from them, so an index file
 * lost or stale after `kill -9` costs time, never data.
 *
 * Chunks are appended with a growing `seq` and deletions leave a tombstone with its own `seq`;
 * an in-process index remembers the last of each it has applied and catches up incrementally
 * (on every replica, with no messages between them).
 */

export type KbStatus = 'queued' | 'processing' | 'ready' | 'failed';
export type KbStage = 'queued' | 'fetching' | 'parsing' | 'embedding' | 'indexing' | 'done';

export interface KnowledgeBasesTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  embedding_model: string;
  /** Fixed by the first embedded document; every later vector must match. */
  embedding_dimensions: number | null;
  max_tokens: number;
  overlap_tokens: number;
  rerank_model: string | null;
  created_at: number;
  updated_at: number;
}

export interface KbDocumentsTable {
  id: string;
  kb_id: string;
  org_id: string;
  name: string;
  /** `upload`, or the URL it was fetched from. */
  source: string;
  format: string | null;
  bytes: number;
  /** SHA-256 (hex) of the source bytes; null until a URL has been fetched. */
  content_hash: string | null;
  /** JSON object of scalar values, for search filters. */
  metadata: string;
  status: KbStatus;
  stage: KbStage;
  progress_done: number;
  progress_total: number;
  chunk_count: number;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
}

/** The uploaded or fetched bytes, apart from the document row so listings never read them. */
export interface KbDocumentSourcesTable {
  document_id: string;
  bytes: Buffer;
}

/** What a staged chunk and a committed chunk both hold (the columns of `chunkColumns` below). */
interface ChunkFields {
  document_id: string;
  ordinal: number;
  text: string;
  tokens: number;
  start_offset: number;
  end_offset: number;
  page: number | null;
  /** JSON array of headings, outermost first. */
  heading_path: string;
  hash: string;
}

/** Chunks of a document being ingested: written once after parsing, embedded in batches, moved to kb_chunks at the end. */
export interface KbPendingChunksTable extends ChunkFields {
  /** float32 little-endian; null until embedded. */
  embedding: Buffer | null;
}

export interface KbChunksTable extends ChunkFields {
  seq: Generated<number>;
  id: string;
  kb_id: string;
  embedding: Buffer;
}

export interface KbTombstonesTable {
  seq: Generated<number>;
  kb_id: string;
  chunk_id: string;
}

// A type alias, not an interface: Kysely's withTables<T>() needs T to be indexable.
export type KnowledgeTables = {
  knowledge_bases: KnowledgeBasesTable;
  kb_documents: KbDocumentsTable;
  kb_document_sources: KbDocumentSourcesTable;
  kb_pending_chunks: KbPendingChunksTable;
  kb_chunks: KbChunksTable;
  kb_tombstones: KbTombstonesTable;
};

const blobType = (dialect: Dialect) => (dialect === 'postgres' ? 'bytea' : 'blob');

export const knowledgeMigrations: MigrationSet = {
  '20261125_40_knowledge': {
    up: async (db, dialect) => {
      // An append order both dialects keep: bigserial on PostgreSQL, the rowid alias on SQLite.
      const tableWithSeq = (name: string) =>
        dialect === 'postgres'
          ? db.schema.createTable(name).addColumn('seq', 'bigserial', (c) => c.primaryKey())
          : db.schema.createTable(name).addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());

      // What a staged chunk and a committed chunk both hold.
      const chunkColumns = (t: CreateTableBuilder<string, string>) =>
        t
          .addColumn('ordinal', 'integer', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('tokens', 'integer', (c) => c.notNull())
          .addColumn('start_offset', 'integer', (c) => c.notNull())
          .addColumn('end_offset', 'integer', (c) => c.notNull())
          .addColumn('page', 'integer')
          .addColumn('heading_path', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull());

      await db.schema
        .createTable('knowledge_bases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('embedding_model', 'text', (c) => c.notNull())
        .addColumn('embedding_dimensions', 'integer')
        .addColumn('max_tokens', 'integer', (c) => c.notNull())
        .addColumn('overlap_tokens', 'integer', (c) => c.notNull())
        .addColumn('rerank_model', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('knowledge_bases_org_name', ['org_id', 'name'])
        .execute();

      await db.schema
        .createTable('kb_documents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kb_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('format', 'text')
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('content_hash', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('progress_done', 'integer', (c) => c.notNull())
        .addColumn('progress_total', 'integer', (c) => c.notNull())
        .addColumn('chunk_count', 'integer', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('kb_documents_kb_name').on('kb_documents').columns(['kb_id', 'name']).execute();

      await db.schema
        .createTable('kb_document_sources')
        .addColumn('document_id', 'text', (c) => c.primaryKey())
        .addColumn('bytes', blobType(dialect), (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('kb_pending_chunks')
        .addColumn('document_id', 'text', (c) => c.notNull())
        .$call(chunkColumns)
        .addColumn('embedding', blobType(dialect))
        .addPrimaryKeyConstraint('kb_pending_chunks_pk', ['document_id', 'ordinal'])
        .execute();

      await tableWithSeq('kb_chunks')
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('kb_id', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .$call(chunkColumns)
        .addColumn('embedding', blobType(dialect), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('kb_chunks_kb_seq').on('kb_chunks').columns(['kb_id', 'seq']).execute();
      await db.schema.createIndex('kb_chunks_document').on('kb_chunks').column('document_id').execute();
      await db.schema.createIndex('kb_chunks_kb_hash').on('kb_chunks').columns(['kb_id', 'hash']).execute();

      await tableWithSeq('kb_tombstones')
        .addColumn('kb_id', 'text', (c) => c.notNull())
        .addColumn('chunk_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('kb_tombstones_kb_seq').on('kb_tombstones').columns(['kb_id', 'seq']).execute();
    },
  },
};
