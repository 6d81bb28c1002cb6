import { invalidRequest } from '../protocol/errors.js';
import { parseTimeParam } from './query-params.js';

/**
 * Newest-first keyset paging, shared by the request-log and budget-alert lists: the cursor is the
 * last row's (time, id), so pages stay stable while rows arrive.
 */

export interface LogCursor {
  ts: number;
  id: string;
}

export interface Page<V> {
  object: 'list';
  data: V[];
  has_more: boolean;
  next_cursor: string | null;
}

export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(JSON.stringify([cursor.ts, cursor.id]), 'utf8').toString('base64url');
}

/** Undefined for anything that is not a cursor this server issued. */
export function decodeCursor(text: string): LogCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && typeof value[1] === 'string') {
      return { ts: value[0] as number, id: value[1] };
    }
  } catch {
    // falls through: not a cursor
  }
  return undefined;
}

/** A list route's `from`, `to`, `limit` and `cursor` query parameters, checked, with the route's page-size bounds. */
export function parsePageParams(
  q: { from?: string; to?: string; limit?: string; cursor?: string },
  limits: { default: number; max: number },
): { from?: number; to?: number; limit: number; cursor?: LogCursor } {
  const from = q.from === undefined ? undefined : parseTimeParam(q.from, 'from');
  const to = q.to === undefined ? undefined : parseTimeParam(q.to, 'to');
  if (from !== undefined && to !== undefined && from >= to) throw invalidRequest(`'from' must be earlier than 'to'.`, 'from');
  let cursor: LogCursor | undefined;
  if (q.cursor !== undefined) {
    cursor = decodeCursor(q.cursor);
    if (!cursor) throw invalidRequest(`'cursor' is not a cursor from a previous page.`, 'cursor');
  }
  let limit = limits.default;
  if (q.limit !== undefined) {
    limit = Number(q.limit);
    if (!/^\d+$/.test(q.limit) || limit < 1 || limit > limits.max) {
      throw invalidRequest(`'limit' must be an integer from 1 to ${limits.max}; got '${q.limit}'.`, 'limit');
    }
  }
  return { from, to, limit, cursor };
}

/** A page from up to `limit + 1` rows read newest first: the extra row only says there is more. */
export function keysetPage<R, V>(rows: readonly R[], limit: number, view: (row: R) => V, keyOf: (row: R) => LogCursor): Page<V> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return { object: 'list', data: page.map(view), has_more: hasMore, next_cursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
