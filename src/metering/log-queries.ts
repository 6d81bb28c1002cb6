import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Store } from '../store/index.js';
import type { MeteringTables, RequestLogsTable } from './tables.js';
import { keysetPage, type LogCursor } from './paging.js';
import type { UsageScope } from './usage-queries.js';

import type { RequestLogDetail, RequestLogPage, RequestLogSummary } from './wire-types.js';

export type { RequestLogDetail, RequestLogPage, RequestLogSummary } from './wire-types.js';

/** An exact status, or a class: `{min: 500, max: 599}` for "5xx". */
export type StatusFilter = number | { min: number; max: number };

export interface RequestLogFilter extends UsageScope {
  model?: string;
  status?: StatusFilter;
  /** Inclusive, ms. */
  from?: number;
  /** Exclusive, ms. */
  to?: number;
  limit: number;
  /** Opaque, from a previous page's `next_cursor`. */
  cursor?: LogCursor;
}


export interface RequestLogQueries {
  listRequestLogs(filter: RequestLogFilter): Promise<RequestLogPage>;
  /** Undefined when missing or outside the scope (the caller answers 404 either way). */
  getRequestLog(id: string, scope: UsageScope): Promise<RequestLogDetail | undefined>;
}

type LogSelect = SelectQueryBuilder<MeteringTables, 'request_logs', object>;

export function createRequestLogQueries(opts: { store: Store }): RequestLogQueries {
  const db: Kysely<MeteringTables> = opts.store.db.withTables<MeteringTables>();

  async function listRequestLogs(filter: RequestLogFilter): Promise<RequestLogPage> {
    if (filter.orgIds && filter.orgIds.length === 0) return { object: 'list', data: [], has_more: false, next_cursor: null };
    let q = scoped(db.selectFrom('request_logs'), filter);
    if (filter.model !== undefined) q = q.where('model', '=', filter.model);
    if (typeof filter.status === 'number') q = q.where('status', '=', filter.status);
    else if (filter.status) q = q.where('status', '>=', filter.status.min).where('status', '<=', filter.status.max);
    if (filter.from !== undefined) q = q.where('ts', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('ts', '<', filter.to);
    const c = filter.cursor;
    if (c) q = q.where((eb) => eb.or([eb('ts', '<', c.ts), eb.and([eb('ts', '=', c.ts), eb('id', '<', c.id)])]));
    const rows = await q
      .selectAll()
      .orderBy('ts', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    return keysetPage(rows, filter.limit, toSummary, (row) => ({ ts: Number(row.ts), id: row.id }));
  }

  async function getRequestLog(id: string, scope: UsageScope): Promise<RequestLogDetail | undefined> {
    if (scope.orgIds && scope.orgIds.length === 0) return undefined;
    const row = await scoped(db.selectFrom('request_logs'), scope).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { ...toSummary(row), request_body: row.request_body, response_body: row.response_body };
  }

  return { listRequestLogs, getRequestLog };
}

function scoped(q: LogSelect, scope: UsageScope): LogSelect {
  if (scope.orgId !== undefined) q = q.where('org_id', '=', scope.orgId);
  if (scope.orgIds !== undefined) q = q.where('org_id', 'in', [...scope.orgIds]);
  if (scope.keyId !== undefined) q = q.where('key_id', '=', scope.keyId);
  return q;
}

function toSummary(row: RequestLogsTable): RequestLogSummary {
  const num = (v: number | null) => (v == null ? null : Number(v));
  return {
    id: row.id,
    created_at: new Date(Number(row.ts)).toISOString(),
    org_id: row.org_id,
    key_id: row.key_id,
    endpoint: row.endpoint,
    model: row.model,
    deployment_id: row.deployment_id,
    provider: row.provider,
    status: Number(row.status),
    error_code: row.error_code,
    error_message: row.error_message,
    latency_ms: Number(row.latency_ms),
    ttft_ms: num(row.ttft_ms),
    input_tokens: num(row.input_tokens),
    output_tokens: num(row.output_tokens),
    cost: num(row.cost),
    stream: Number(row.stream) === 1,
  };
}

