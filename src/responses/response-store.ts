import type { ChatMessage, Usage } from '../protocol/chat.js';
import { BaimoError } from '../protocol/errors.js';
import type { ResponseObject } from '../protocol/responses/types.js';
import type { Store } from '../store/index.js';
import type { ResponsesTables } from './tables.js';

/**
 * Stored responses, per tenant (CATALOG.md §1.4 `store`, `previous_response_id`). Every read and
 * delete is scoped by the caller's org: another org's response answers exactly like a missing
 * one, so ids reveal nothing across tenants. Rows expire `retentionDays` after they were saved;
 * an expired row is invisible at once and deleted by the next purge.
 */

/** Whose responses: an org, or the platform operator (null). */
export interface ResponseOwner {
  orgId: string | null;
}

export interface NewResponse {
  id: string;
  owner: ResponseOwner;
  model: string;
  status: string;
  previousResponseId: string | null;
  inputItems: Record<string, unknown>[];
  /** The whole conversation up to and including this answer, as later turns continue it. */
  conversation: ChatMessage[];
  response: ResponseObject;
  usage: Usage | undefined;
}

export interface StoredResponse {
  id: string;
  orgId: string | null;
  createdAt: number;
  expiresAt: number;
  model: string;
  status: string;
  previousResponseId: string | null;
  inputItems: Record<string, unknown>[];
  conversation: ChatMessage[];
  response: ResponseObject;
  usage: Usage | null;
}

export interface ResponseStore {
  save(response: NewResponse): Promise<void>;
  get(id: string, owner: ResponseOwner): Promise<StoredResponse | undefined>;
  /** False when there was nothing of this owner's to delete. */
  delete(id: string, owner: ResponseOwner): Promise<boolean>;
  /** The conversation to continue from `previous_response_id`; a 400 naming it when unknown, expired or foreign. */
  conversationOf(previousId: string, owner: ResponseOwner): Promise<ChatMessage[]>;
  /** Delete expired rows in bounded batches; resolves to the number deleted. */
  purgeExpired(batchSize?: number): Promise<number>;
}

export interface ResponseStoreOptions {
  store: Store;
  now: () => number;
  /** Days a stored response stays retrievable and chainable (OpenAI keeps them 30). */
  retentionDays: number;
}

const DAY_MS = 86_400_000;

export function createResponseStore(opts: ResponseStoreOptions): ResponseStore {
  if (!(opts.retentionDays > 0)) throw new Error('retentionDays must be a positive number.');
  const db = opts.store.db.withTables<ResponsesTables>();
  const retentionMs = opts.retentionDays * DAY_MS;

  const live = (id: string, owner: ResponseOwner) => {
    const q = db.selectFrom('responses').where('id', '=', id).where('expires_at', '>', opts.now());
    return owner.orgId === null ? q.where('org_id', 'is', null) : q.where('org_id', '=', owner.orgId);
  };

  return {
    async save(r) {
      const now = opts.now();
      await db
        .insertInto('responses')
        .values({
          id: r.id,
          org_id: r.owner.orgId,
          created_at: now,
          expires_at: now + retentionMs,
          model: r.model,
          status: r.status,
          previous_response_id: r.previousResponseId,
          input_items: JSON.stringify(r.inputItems),
          conversation: JSON.stringify(r.conversation),
          output: JSON.stringify(r.response),
          usage: r.usage ? JSON.stringify(r.usage) : null,
        })
        .execute();
    },

    async get(id, owner) {
      const row = await live(id, owner).selectAll().executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        orgId: row.org_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        model: row.model,
        status: row.status,
        previousResponseId: row.previous_response_id,
        inputItems: JSON.parse(row.input_items) as Record<string, unknown>[],
        conversation: JSON.parse(row.conversation) as ChatMessage[],
        response: JSON.parse(row.output) as ResponseObject,
        usage: row.usage ? (JSON.parse(row.usage) as Usage) : null,
      };
    },

    async delete(id, owner) {
      const base = db.deleteFrom('responses').where('id', '=', id).where('expires_at', '>', opts.now());
      const scoped = owner.orgId === null ? base.where('org_id', 'is', null) : base.where('org_id', '=', owner.orgId);
      const result = await scoped.executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async conversationOf(previousId, owner) {
      const row = await live(previousId, owner).select('conversation').executeTakeFirst();
      if (!row) throw previousResponseNotFound(previousId);
      return JSON.parse(row.conversation) as ChatMessage[];
    },

    async purgeExpired(batchSize = 1000) {
      const cutoff = opts.now();
      let deleted = 0;
      while (true) {
        // Select then delete by id: portable (no DELETE … LIMIT on PostgreSQL), uses the expiry index.
        const ids = (await db.selectFrom('responses').select('id').where('expires_at', '<=', cutoff).limit(batchSize).execute()).map((r) => r.id);
        if (ids.length === 0) break;
        await db.deleteFrom('responses').where('id', 'in', ids).execute();
        deleted += ids.length;
        if (ids.length < batchSize) break;
      }
      return deleted;
    },
  };
}

export function responseNotFound(id: string): BaimoError {
  return new BaimoError('not_found', `Response with id '${id}' not found.`, { status: 404, code: 'not_found', param: 'response_id' });
}

export function previousResponseNotFound(id: string): BaimoError {
  return new BaimoError('validation', `Previous response with id '${id}' not found.`, {
    status: 400,
    code: 'previous_response_not_found',
    param: 'previous_response_id',
  });
}
