import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  adminViewer,
  FROM_PARAM,
  ORG_PARAM,
  parsePageParams,
  parseQuery,
  scopeFor,
  type AuthorizeViewer,
  type UsageViewer,
} from '../metering/index.js';
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
    return opts.alerts.list({ orgId, orgIds, ...parsePageParams(q, { default: DEFAULT_ALERT_LIMIT, max: MAX_ALERT_LIMIT }) });
  }
}
