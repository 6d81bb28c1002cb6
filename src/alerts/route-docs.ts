import { z } from 'zod';
import type { RouteDoc } from '../tenancy/index.js';
import { alertListQuerySchema } from './routes.js';

const time = z.string().meta({ format: 'date-time' });

export const budgetAlertSchema = z.looseObject({
  id: z.string(),
  object: z.literal('budget_alert'),
  org_id: z.string(),
  key_id: z.string().nullable().describe('The key whose budget crossed; null for the org budget'),
  period: z.string().nullable().describe('`2026-11` for a monthly budget; null for a lifetime one'),
  threshold: z.number().describe('The fraction of the budget crossed, from budget_alert_thresholds'),
  budget: z.number(),
  spent: z.number().describe('Settled spend when the threshold was crossed'),
  currency: z.string(),
  created_at: time,
});

export const alertPageSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(budgetAlertSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

/** `/v1/alerts` is listed too, as `/v1/usage` is: tenants read their own org's alerts there. */
export const ALERT_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/admin/v1/alerts',
    summary: 'Budget alerts, newest first, cursor-paged (operators: every org; console users: their orgs)',
    tag: 'alerts',
    query: alertListQuerySchema,
    response: alertPageSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'GET',
    path: '/v1/alerts',
    summary: "Budget alerts for any credential; a tenant key sees its own org's",
    tag: 'alerts',
    query: alertListQuerySchema,
    response: alertPageSchema,
    errors: [400, 401, 404],
  },
];
