import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BaimoError, invalidRequest } from '../protocol/errors.js';
import type { RequestLogQueries, StatusFilter } from './log-queries.js';
import { parsePageParams } from './paging.js';
import { parseQuery } from './query-params.js';
import { adminViewer, KEY_PARAM, ORG_PARAM, FROM_PARAM } from './routes.js';
import { scopeFor, type AuthorizeViewer } from './viewer.js';

export interface RequestLogRoutesOptions {
  logs: RequestLogQueries;
  authorize: AuthorizeViewer;
}

export const DEFAULT_LOG_LIMIT = 50;
export const MAX_LOG_LIMIT = 500;

const optionalText = z.string().min(1).optional();

export const logListQuerySchema = z.strictObject({
  org_id: optionalText.describe(ORG_PARAM),
  key_id: optionalText.describe(KEY_PARAM),
  model: optionalText.describe('Only this public model name'),
  status: optionalText.describe('An HTTP status (`429`) or a class (`4xx`, `5xx`)'),
  from: optionalText.describe(FROM_PARAM),
  to: optionalText.describe('Unix seconds or ISO 8601; exclusive'),
  limit: optionalText.describe(`Rows per page, 1 to ${MAX_LOG_LIMIT}. Default: ${DEFAULT_LOG_LIMIT}`),
  cursor: optionalText.describe("A previous page's `next_cursor`"),
});

/** `GET /admin/v1/logs/{id}` takes no query parameters. */
export const logDetailQuerySchema = z.strictObject({});

/**
 * `GET /admin/v1/logs` (newest first, cursor-paged, metadata only) and `GET /admin/v1/logs/{id}`
 * (with bodies where the org logs them). Visibility as for usage: operators see all, console
 * users their orgs; a log outside the viewer's scope answers 404 like a missing one.
 */
export function registerRequestLogRoutes(app: FastifyInstance, opts: RequestLogRoutesOptions): void {
  app.get('/admin/v1/logs', async (request) => {
    const viewer = await adminViewer(opts.authorize, request);
    const q = parseQuery(logListQuerySchema, request.query);
    const scope = scopeFor(viewer, { orgId: q.org_id, keyId: q.key_id });
    const page = parsePageParams(q, { default: DEFAULT_LOG_LIMIT, max: MAX_LOG_LIMIT });
    return opts.logs.listRequestLogs({
      ...scope,
      model: q.model,
      status: q.status === undefined ? undefined : parseStatus(q.status),
      ...page,
    });
  });

  app.get<{ Params: { id: string } }>('/admin/v1/logs/:id', async (request) => {
    const viewer = await adminViewer(opts.authorize, request);
    parseQuery(logDetailQuerySchema, request.query);
    const log = await opts.logs.getRequestLog(request.params.id, scopeFor(viewer, {}));
    if (!log) throw new BaimoError('not_found', `No request log '${request.params.id}'.`, { status: 404, code: 'not_found' });
    return log;
  });
}

/** `429`, or a class: `4xx`, `5xx`. */
export function parseStatus(text: string): StatusFilter {
  if (/^[1-5]\d\d$/.test(text)) return Number(text);
  const cls = /^([1-5])xx$/i.exec(text);
  if (cls) return { min: Number(cls[1]) * 100, max: Number(cls[1]) * 100 + 99 };
  throw invalidRequest(`'status' must be an HTTP status (429) or a class (4xx, 5xx); got '${text}'.`, 'status');
}
