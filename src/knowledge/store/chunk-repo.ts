import type { Kysely } from 'kysely';
import type { KnowledgeTables } from './tables.js';

/** Read side of chunks: incremental changes for in-process indexes, and hit hydration for answers. */

export interface ChunkChange {
  seq: number;
  id: string;
  document_id: string;
  text: string;
  /** JSON array of headings. */
  heading_path: string;
  embedding: Uint8Array;
}

export interface HydratedChunk {
  id: string;
  document_id: string;
  document_name: string;
  source: string;
  text: string;
  page: number | null;
  heading_path: string[];
  start: number;
  end: number;
}

export type MetadataFilter = Record<string, string | number | boolean>;

export function createChunkRepo(db: Kysely<KnowledgeTables>) {
  return {
    async chunksSince(kbId: string, seq: number, limit: number, withEmbeddings: boolean): Promise<ChunkChange[]> {
      const cols = ['seq', 'id', 'document_id', 'text', 'heading_path'] as const;
      const rows = await db
        .selectFrom('kb_chunks')
        .select(withEmbeddings ? [...cols, 'embedding'] : [...cols])
        .where('kb_id', '=', kbId)
        .where('seq', '>', seq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq), embedding: (r as { embedding?: Uint8Array }).embedding ?? new Uint8Array() }));
    },

    async tombstonesSince(kbId: string, seq: number, limit: number): Promise<{ seq: number; chunk_id: string }[]> {
      const rows = await db.selectFrom('kb_tombstones').select(['seq', 'chunk_id']).where('kb_id', '=', kbId).where('seq', '>', seq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({ seq: Number(r.seq), chunk_id: r.chunk_id }));
    },

    /** Chunks with their document's name and source, in the order asked. */
    async hydrate(kbId: string, ids: readonly string[]): Promise<HydratedChunk[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('kb_chunks as c')
        .innerJoin('kb_documents as d', 'd.id', 'c.document_id')
        .select(['c.id', 'c.document_id', 'd.name as document_name', 'd.source', 'c.text', 'c.page', 'c.heading_path', 'c.start_offset', 'c.end_offset'])
        .where('c.kb_id', '=', kbId)
        .where('c.id', 'in', ids)
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.flatMap((id) => {
        const r = byId.get(id);
        if (!r) return [];
        return [{
          id: r.id,
          document_id: r.document_id,
          document_name: r.document_name,
          source: r.source,
          text: r.text,
          page: r.page,
          heading_path: JSON.parse(r.heading_path) as string[],
          start: r.start_offset,
          end: r.end_offset,
        }];
      });
    },

    /** Ready documents of the KB that pass the filter (ids and exact metadata matches). */
    async documentsMatching(kbId: string, filter: { documentIds?: readonly string[]; metadata?: MetadataFilter }): Promise<Set<string>> {
      let q = db.selectFrom('kb_documents').select(['id', 'metadata']).where('kb_id', '=', kbId).where('status', '=', 'ready');
      if (filter.documentIds) {
        if (filter.documentIds.length === 0) return new Set();
        q = q.where('id', 'in', filter.documentIds);
      }
      const rows = await q.execute();
      const wanted = Object.entries(filter.metadata ?? {});
      return new Set(
        rows
          .filter((r) => {
            const meta = JSON.parse(r.metadata) as MetadataFilter;
            return wanted.every(([k, v]) => meta[k] === v);
          })
          .map((r) => r.id),
      );
    },

    /** Chunk ids of these documents (to pass a filter to a database-side vector search). */
    async chunkIdsOf(documentIds: readonly string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < documentIds.length; i += 500) {
        const rows = await db.selectFrom('kb_chunks').select('id').where('document_id', 'in', documentIds.slice(i, i + 500)).execute();
        for (const r of rows) out.add(r.id);
      }
      return out;
    },
  };
}

export type ChunkRepo = ReturnType<typeof createChunkRepo>;
