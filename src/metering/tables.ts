import type { MigrationSet } from '../store/index.js';
import type { RequestLogSummary } from './wire-types.js';

/**
 * The tables metering owns (house rule 2: nobody else reads or writes them). Portable types
 * only, so one migration serves SQLite and PostgreSQL: ms timestamps as bigint, booleans 0/1,
 * money as double precision rounded to 1e-9 before it is written. Row types are type aliases, not
 * interfaces: `withTables()` needs their implicit index signature.
 */

export type UsageEventsTable = {
  /** `${request_id}:${attempt}`: a replayed journal line inserts nothing new. */
  id: string;
  request_id: string;
  attempt: number;
  /** When the attempt started (ms since epoch, UTC). */
  ts: number;
  org_id: string | null;
  key_id: string | null;
  app_id: string | null;
  endpoint: string;
  model: string;
  deployment_id: string;
  provider: string;
  stream: number;
  status: number;
  error_code: string | null;
  /** All prompt tokens, cached ones included (OpenAI's `prompt_tokens`). */
  input_tokens: number;
  /** All completion tokens, reasoning included (OpenAI's `completion_tokens`). */
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  /** 1 when the upstream reported no usage and the token counts are an estimate. */
  usage_estimated: number;
  /** Null when the model has no price: unknown is not zero. */
  cost: number | null;
  currency: string;
  latency_ms: number;
  ttft_ms: number | null;
};

/** The API's request-log summary (wire-types.ts) as stored: `ts` instead of `created_at`, `stream` as 0/1, bodies. */
export type RequestLogsTable = Omit<RequestLogSummary, 'created_at' | 'stream'> & {
  ts: number;
  stream: number;
  /** Redacted and truncated JSON text; null unless the org opted in to body logging. */
  request_body: string | null;
  response_body: string | null;
};

export type MeteringTables = {
  usage_events: UsageEventsTable;
  request_logs: RequestLogsTable;
};

/** PostgreSQL column types, as the migration below creates them (batch inserts cast to these). */
export type PgColumnType = 'text' | 'integer' | 'bigint' | 'double precision';

export const METERING_PG_TYPES: { [T in keyof MeteringTables]: Record<keyof MeteringTables[T], PgColumnType> } = {
  usage_events: {
    id: 'text',
    request_id: 'text',
    attempt: 'integer',
    ts: 'bigint',
    org_id: 'text',
    key_id: 'text',
    app_id: 'text',
    endpoint: 'text',
    model: 'text',
    deployment_id: 'text',
    provider: 'text',
    stream: 'integer',
    status: 'integer',
    error_code: 'text',
    input_tokens: 'bigint',
    output_tokens: 'bigint',
    cached_tokens: 'bigint',
    reasoning_tokens: 'bigint',
    usage_estimated: 'integer',
    cost: 'double precision',
    currency: 'text',
    latency_ms: 'bigint',
    ttft_ms: 'bigint',
  },
  request_logs: {
    id: 'text',
    ts: 'bigint',
    org_id: 'text',
    key_id: 'text',
    endpoint: 'text',
    model: 'text',
    deployment_id: 'text',
    provider: 'text',
    status: 'integer',
    error_code: 'text',
    error_message: 'text',
    latency_ms: 'bigint',
    ttft_ms: 'bigint',
    input_tokens: 'bigint',
    output_tokens: 'bigint',
    cost: 'double precision',
    stream: 'integer',
    request_body: 'text',
    response_body: 'text',
  },
};

export const meteringMigrations: MigrationSet = {
  '20261125_20_metering': {
    up: async (db) => {
      await db.schema
        .createTable('usage_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('org_id', 'text')
        .addColumn('key_id', 'text')
        .addColumn('app_id', 'text')
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('deployment_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('stream', 'integer', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('input_tokens', 'bigint', (c) => c.notNull())
        .addColumn('output_tokens', 'bigint', (c) => c.notNull())
        .addColumn('cached_tokens', 'bigint', (c) => c.notNull())
        .addColumn('reasoning_tokens', 'bigint', (c) => c.notNull())
        .addColumn('usage_estimated', 'integer', (c) => c.notNull())
        .addColumn('cost', 'double precision')
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('latency_ms', 'bigint', (c) => c.notNull())
        .addColumn('ttft_ms', 'bigint')
        .execute();
      await db.schema.createIndex('usage_events_ts').on('usage_events').column('ts').execute();
      await db.schema.createIndex('usage_events_org_ts').on('usage_events').columns(['org_id', 'ts']).execute();
      await db.schema.createIndex('usage_events_key_ts').on('usage_events').columns(['key_id', 'ts']).execute();

      await db.schema
        .createTable('request_logs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('org_id', 'text')
        .addColumn('key_id', 'text')
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('deployment_id', 'text')
        .addColumn('provider', 'text')
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('latency_ms', 'bigint', (c) => c.notNull())
        .addColumn('ttft_ms', 'bigint')
        .addColumn('input_tokens', 'bigint')
        .addColumn('output_tokens', 'bigint')
        .addColumn('cost', 'double precision')
        .addColumn('stream', 'integer', (c) => c.notNull())
        .addColumn('request_body', 'text')
        .addColumn('response_body', 'text')
        .execute();
      await db.schema.createIndex('request_logs_ts').on('request_logs').columns(['ts', 'id']).execute();
      await db.schema.createIndex('request_logs_org_ts').on('request_logs').columns(['org_id', 'ts']).execute();
      await db.schema.createIndex('request_logs_key_ts').on('request_logs').columns(['key_id', 'ts']).execute();
    },
  },
};
