import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  adminViewer,
  decodeCursor,
  FROM_PARAM,
  ORG_PARAM,
  parseQuery,
  parseTimeParam,
  scopeFor,
  type AuthorizeViewer,
  type UsageViewer,
} from '../metering/index.js';
import { invalidRequest } from '../protocol/errors.js';
import type { AlertStore } from './alert-store.js';

export const DEFAULT_ALERT_LIMIT = 50;
export const MAX_ALERT_LIMIT = 500;

const optionalText = z.string().min(1).optional();

export const alertListQuerySchema = z.strictObject({
  org_id: optionalText.describe(ORG_PARAM),
  from: optionalText.describe(FROM_PARAM),
  to: optionalText.describe('Unix seconds or ISO 8601; exclusive'),
  limit: optionalText.describe(`Alerts per page, 1 to ${MAX_ALERT_LIMIT}. Default: ${DEFAULT_ALERT_LIMIT}`),
  cursor: optionalText.describe("A previous page's `next_cursor`"),
});

/**
 * `GET /admin/v1/alerts` (operators: every org; console users: their orgs) and `GET /v1/alerts`
 * (any credential; a tenant key sees its own org's). Newest first, cursor-paged like the request
 * logs; another org answers 404 as elsewhere (metering's viewer scoping).
 */
export function registerAlertRoutes(app: FastifyInstance, opts: { alerts: AlertStore; authorize: AuthorizeViewer }): void {
  app.get('/admin/v1/alerts', async (request) => answer(await adminViewer(opts.authorize, request), request));
  app.get('/v1/alerts', async (request) => answer(await opts.authorize(request), request));

  async function answer(viewer: UsageViewer, request: FastifyRequest) {
    const q = parseQuery(alertListQuerySchema, request.query);
    const { orgId, orgIds } = scopeFor(viewer, { orgId: q.org_id });
    const from = q.from === undefined ? undefined : parseTimeParam(q.from, 'from');
    const to = q.to === undefined ? undefined : parseTimeParam(q.to, 'to');
    if (from !== undefined && to !== undefined && from >= to) throw invalidRequest(`'from' must be earlier than 'to'.`, 'from');
    let cursor;
    if (q.cursor !== undefined) {
      cursor = decodeCursor(q.cursor);
      if (!cursor) throw invalidRequest(`'cursor' is not a cursor from a previous page.`, 'cursor');
    }
    return opts.alerts.list({ orgId, orgIds, from, to, limit: parseLimit(q.limit), cursor });
  }
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ALERT_LIMIT;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_ALERT_LIMIT) {
    throw invalidRequest(`'limit' must be an integer from 1 to ${MAX_ALERT_LIMIT}; got '${text}'.`, 'limit');
  }
  return n;
}
