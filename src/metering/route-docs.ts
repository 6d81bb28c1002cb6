import type { RouteDoc } from '../tenancy/index.js';
import {
  requestLogDetailSchema,
  requestLogPageSchema,
  USAGE_CSV,
  usageReportSchema,
  usageTimeseriesSchema,
} from './api-schemas.js';
import { logDetailQuerySchema, logListQuerySchema } from './log-routes.js';
import { usageQuerySchema } from './routes.js';
import { seriesQuerySchema } from './timeseries.js';

/**
 * Metering's routes for the OpenAPI document, with the query schemas the handlers parse with.
 * `/v1/usage` is listed too: it is not an admin route, but it answers the same report to any
 * credential (a tenant key sees its own org), and tenants generate clients for it.
 */
export const METERING_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/admin/v1/usage',
    summary: 'Usage report: requests, tokens and cost per group (operators: every org; console users: their orgs)',
    tag: 'usage',
    query: usageQuerySchema,
    response: usageReportSchema,
    alternatives: [USAGE_CSV],
    errors: [400, 401, 403, 404],
  },
  {
    method: 'GET',
    path: '/v1/usage',
    summary: "Usage report for any credential; a tenant key sees its own org's usage",
    tag: 'usage',
    query: usageQuerySchema,
    response: usageReportSchema,
    alternatives: [USAGE_CSV],
    errors: [400, 401, 404],
  },
  {
    method: 'GET',
    path: '/admin/v1/usage/timeseries',
    summary: 'Usage per hour or day bucket, with error counts and latency percentiles',
    tag: 'usage',
    query: seriesQuerySchema,
    response: usageTimeseriesSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'GET',
    path: '/admin/v1/logs',
    summary: 'Request logs, newest first, cursor-paged (metadata only)',
    tag: 'logs',
    query: logListQuerySchema,
    response: requestLogPageSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'GET',
    path: '/admin/v1/logs/{id}',
    summary: 'One request log, with its redacted bodies where the org logs them',
    tag: 'logs',
    query: logDetailQuerySchema,
    response: requestLogDetailSchema,
    errors: [400, 401, 403, 404],
  },
];
