import { z } from 'zod';
import { GROUP_FIELD, USAGE_GROUPS, type GroupField } from './usage-queries.js';

/**
 * The answers of metering's routes as zod schemas, for the OpenAPI document (route-docs.ts). The
 * handlers build these objects from usage-queries.ts, timeseries.ts and log-queries.ts; a test
 * calls every route on a real server and checks the answer against them. Loose, like tenancy's:
 * fields may be added (DESIGN.md §2a), so generated clients must not reject unknown ones.
 */

const time = z.string().meta({ format: 'date-time' });
const count = z.int().min(0);

const metrics = {
  requests: count.describe('Distinct requests: failover attempts of one request count once'),
  input_tokens: count,
  output_tokens: count,
  cached_tokens: count,
  reasoning_tokens: count,
  cost: z.number().nullable().describe('Sum of priced events; null when none was priced'),
  estimated_requests: count.describe('Requests whose tokens were estimated (the upstream reported none)'),
  unpriced_requests: count.describe('Requests on an unpriced model (cost unknown, not 0)'),
};

const groupFields = Object.fromEntries(
  USAGE_GROUPS.map((g) => [GROUP_FIELD[g], z.string().nullable().optional().describe(`Present when grouped by \`${g}\``)]),
) as Record<GroupField, z.ZodOptional<z.ZodNullable<z.ZodString>>>;

export const usageRowSchema = z.looseObject({ ...groupFields, ...metrics, currency: z.string() });

export const usageReportSchema = z.looseObject({
  object: z.literal('usage_report'),
  from: time,
  to: time,
  group_by: z.array(z.enum(USAGE_GROUPS)),
  data: z.array(usageRowSchema),
  totals: z.looseObject({
    ...metrics,
    cost_by_currency: z.record(z.string(), z.number()).optional().describe('Set (and `cost` null) when the range holds several currencies'),
  }),
  currency: z.string().describe("The one currency of the range, the configured one if it is empty, or 'mixed'"),
});

/** `format=csv`: the report's rows, group columns first (csv.ts). */
export const USAGE_CSV = {
  mediaType: 'text/csv',
  schema: { type: 'string', description: 'RFC 4180 CSV: a header row (group columns, then the metrics and currency), then one line per row' },
};

const percentile = z.number().nullable();

export const seriesPointSchema = z.looseObject({
  bucket: time,
  model: z.string().nullable().optional(),
  provider: z.string().nullable().optional(),
  org: z.string().nullable().optional(),
  requests: count,
  errors: count,
  input_tokens: count,
  output_tokens: count,
  cost: z.number().describe('Of priced calls; unpriced ones are counted in unpriced_requests'),
  unpriced_requests: count,
  latency_p50_ms: percentile,
  latency_p95_ms: percentile,
  ttft_p50_ms: percentile,
});

export const usageTimeseriesSchema = z.looseObject({
  object: z.literal('usage_timeseries'),
  from: time,
  to: time,
  bucket: z.enum(['hour', 'day']),
  data: z.array(seriesPointSchema),
  truncated: z.boolean().describe('The range held more rows than are read per query; use coarser buckets'),
});

const nullableText = z.string().nullable();
const nullableNumber = z.number().nullable();

export const requestLogSummarySchema = z.looseObject({
  id: z.string(),
  created_at: time,
  org_id: nullableText,
  key_id: nullableText,
  endpoint: z.string(),
  model: z.string(),
  deployment_id: nullableText,
  provider: nullableText,
  status: z.int(),
  error_code: nullableText,
  error_message: nullableText,
  latency_ms: z.number(),
  ttft_ms: nullableNumber,
  input_tokens: nullableNumber,
  output_tokens: nullableNumber,
  cost: nullableNumber,
  stream: z.boolean(),
});

export const requestLogPageSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(requestLogSummarySchema),
  has_more: z.boolean(),
  next_cursor: nullableText,
});

export const requestLogDetailSchema = requestLogSummarySchema.extend({
  request_body: nullableText.describe('Redacted JSON text, possibly truncated; null unless the org logs bodies'),
  response_body: nullableText,
});
