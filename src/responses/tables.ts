import type { MigrationSet } from '../store/index.js';

/**
 * The table the responses module owns (house rule 2). Portable types only: ms timestamps as
 * bigint, JSON as text. One row holds everything a later turn needs, so chaining with
 * `previous_response_id` is one read by primary key and deleting or expiring an earlier response
 * never breaks a later one.
 */
export type ResponsesTable = {
  /** `resp_…`, as the client sees it. */
  id: string;
  /** The owning org; null for the platform operator's own calls. */
  org_id: string | null;
  created_at: number;
  /** Rows past this instant are invisible and purged (retention). */
  expires_at: number;
  /** Public model name. */
  model: string;
  /** `completed` or `incomplete`; failed responses are not stored. */
  status: string;
  previous_response_id: string | null;
  /** This turn's input items (JSON array), as `GET /v1/responses/{id}/input_items` lists them. */
  input_items: string;
  /** Canonical chat messages (JSON array): earlier turns, this turn's input and the answer, replay data included. */
  conversation: string;
  /** The Response object (JSON) as the client received it. */
  output: string;
  /** Canonical usage (JSON), or null when the upstream reported none. */
  usage: string | null;
};

export type ResponsesTables = {
  responses: ResponsesTable;
};

export const responsesMigrations: MigrationSet = {
  '20261125_30_responses': {
    up: async (db) => {
      await db.schema
        .createTable('responses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('previous_response_id', 'text')
        .addColumn('input_items', 'text', (c) => c.notNull())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('output', 'text', (c) => c.notNull())
        .addColumn('usage', 'text')
        .execute();
      await db.schema.createIndex('responses_expires_at').on('responses').column('expires_at').execute();
    },
  },
};
