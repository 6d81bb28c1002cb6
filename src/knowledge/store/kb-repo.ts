import type { Kysely } from 'kysely';
import { BaimoError } from '../../protocol/errors.js';
import type { KnowledgeBasesTable, KnowledgeTables } from './tables.js';
import type { VectorStore } from './vector-store.js';

/** Knowledge bases themselves: create, find by id or name within an org, update, delete with everything in them. */

export type KnowledgeBase = KnowledgeBasesTable;

export interface NewKnowledgeBase {
  orgId: string;
  name: string;
  description: string | null;
  embeddingModel: string;
  maxTokens: number;
  overlapTokens: number;
  rerankModel: string | null;
}

export const kbNotFound = (ref: string) =>
  new BaimoError('not_found', `No knowledge base '${ref}' is visible to you.`, { status: 404, code: 'knowledge_base_not_found', param: 'knowledge_base_id' });

export const kbNameTaken = (name: string) =>
  new BaimoError('validation', `A knowledge base named '${name}' already exists in this organization.`, { status: 409, code: 'knowledge_base_exists', param: 'name' });

export interface KbRepoDeps {
  db: Kysely<KnowledgeTables>;
  vectors: VectorStore;
  now: () => number;
  newId: (prefix: string) => string;
}

export function createKbRepo({ db, vectors, now, newId }: KbRepoDeps) {
  async function nameTaken(orgId: string, name: string, exceptId?: string): Promise<boolean> {
    let q = db.selectFrom('knowledge_bases').select('id').where('org_id', '=', orgId).where('name', '=', name);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  return {
    async create(input: NewKnowledgeBase): Promise<KnowledgeBase> {
      if (await nameTaken(input.orgId, input.name)) throw kbNameTaken(input.name);
      const t = now();
      const row: KnowledgeBase = {
        id: newId('kb'),
        org_id: input.orgId,
        name: input.name,
        description: input.description,
        embedding_model: input.embeddingModel,
        embedding_dimensions: null,
        max_tokens: input.maxTokens,
        overlap_tokens: input.overlapTokens,
        rerank_model: input.rerankModel,
        created_at: t,
        updated_at: t,
      };
      await db.insertInto('knowledge_bases').values(row).execute();
      return row;
    },

    /**
     * By id, or by name within `orgIds`. Null `orgIds` means any org (the operator): a name then
     * resolves only if exactly one org has a KB of that name.
     */
    async find(ref: string, orgIds: readonly string[] | null): Promise<KnowledgeBase | undefined> {
      let q = db.selectFrom('knowledge_bases').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]));
      if (orgIds) {
        if (orgIds.length === 0) return undefined;
        q = q.where('org_id', 'in', orgIds);
      }
      const rows = await q.orderBy('created_at').limit(3).execute();
      const byId = rows.find((r) => r.id === ref);
      if (byId) return byId;
      // A user in several orgs, or the operator: a name shared by two orgs is ambiguous.
      return rows.length === 1 ? rows[0] : undefined;
    },

    async list(orgIds: readonly string[] | null): Promise<KnowledgeBase[]> {
      let q = db.selectFrom('knowledge_bases').selectAll().orderBy('created_at').orderBy('id');
      if (orgIds) {
        if (orgIds.length === 0) return [];
        q = q.where('org_id', 'in', orgIds);
      }
      return q.execute();
    },

    async update(kb: KnowledgeBase, patch: { name?: string; description?: string | null; rerankModel?: string | null }): Promise<KnowledgeBase> {
      if (patch.name !== undefined && patch.name !== kb.name && (await nameTaken(kb.org_id, patch.name, kb.id))) throw kbNameTaken(patch.name);
      const set: Partial<KnowledgeBase> = { updated_at: now() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.rerankModel !== undefined) set.rerank_model = patch.rerankModel;
      await db.updateTable('knowledge_bases').set(set).where('id', '=', kb.id).execute();
      return { ...kb, ...set };
    },

    /** Counts for the API object. */
    async stats(kbIds: readonly string[]): Promise<Map<string, { documents: number; chunks: number }>> {
      const out = new Map<string, { documents: number; chunks: number }>();
      if (kbIds.length === 0) return out;
      const rows = await db
        .selectFrom('kb_documents')
        .select((eb) => ['kb_id', eb.fn.countAll<number>().as('documents'), eb.fn.sum<number>('chunk_count').as('chunks')])
        .where('kb_id', 'in', kbIds)
        .where('status', '=', 'ready')
        .groupBy('kb_id')
        .execute();
      for (const r of rows) out.set(r.kb_id, { documents: Number(r.documents), chunks: Number(r.chunks ?? 0) });
      return out;
    },

    /** Deletes the KB, its documents, sources, chunks and vectors. Running ingestion jobs find their document gone and stop. */
    async delete(kb: KnowledgeBase): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const docIds = (await trx.selectFrom('kb_documents').select('id').where('kb_id', '=', kb.id).execute()).map((r) => r.id);
        for (let i = 0; i < docIds.length; i += 500) {
          const batch = docIds.slice(i, i + 500);
          await trx.deleteFrom('kb_pending_chunks').where('document_id', 'in', batch).execute();
          await trx.deleteFrom('kb_document_sources').where('document_id', 'in', batch).execute();
        }
        await trx.deleteFrom('kb_chunks').where('kb_id', '=', kb.id).execute();
        await trx.deleteFrom('kb_tombstones').where('kb_id', '=', kb.id).execute();
        await trx.deleteFrom('kb_documents').where('kb_id', '=', kb.id).execute();
        await trx.deleteFrom('knowledge_bases').where('id', '=', kb.id).execute();
      });
      await vectors.drop(kb.id);
    },

    /** Fixes the KB's dimensions on first use; false if they are already fixed to something else. */
    async claimDimensions(trx: Kysely<KnowledgeTables>, kbId: string, dims: number): Promise<boolean> {
      await trx.updateTable('knowledge_bases').set({ embedding_dimensions: dims }).where('id', '=', kbId).where('embedding_dimensions', 'is', null).execute();
      const row = await trx.selectFrom('knowledge_bases').select('embedding_dimensions').where('id', '=', kbId).executeTakeFirst();
      return row?.embedding_dimensions === dims;
    },
  };
}

export type KbRepo = ReturnType<typeof createKbRepo>;
