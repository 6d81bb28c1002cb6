import type { z } from 'zod';
import { invalidRequest } from '../protocol/errors.js';

/**
 * Query-string validation at the edge: one zod schema per route, and a 400 naming the parameter
 * on the first problem (house rule 9). Unknown parameters are refused, not ignored, so a typo
 * such as `groupby=` cannot silently return the ungrouped report.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const name = issue.keys[0]!;
    throw invalidRequest(`Unknown query parameter '${name}'.`, name);
  }
  const name = String(issue.path[0] ?? '');
  throw invalidRequest(`Invalid query parameter '${name}': ${issue.message}`, name || null);
}

const UNIX_SECONDS = /^\d{1,11}(\.\d+)?$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A time as unix seconds (`1764028800`, fractions allowed) or ISO 8601 (`2026-11-25`,
 * `2026-11-25T08:00:00+08:00`). A date-time without an offset is read as UTC, never as the
 * server's local zone. Returns ms since epoch.
 */
export function parseTimeParam(value: string, name: string): number {
  const text = value.trim();
  if (UNIX_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  const iso = ISO_8601.exec(text);
  if (iso) {
    const hasTime = text.length > 10;
    const ms = Date.parse(hasTime && !iso[1] ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms;
  }
  throw invalidRequest(`'${name}' must be unix seconds or an ISO 8601 time (e.g. 2026-11-25 or 2026-11-25T08:00:00Z); got '${value}'.`, name);
}
