/**
 * Metering's answers on the wire (usage reports, time series, request logs), in a file with no
 * imports: the console type-checks against these very types (console/src/api/types.ts) without
 * compiling the store's Node, pg and SQLite typings. The query modules build and re-export them.
 */

export type UsageGroup = 'key' | 'model' | 'org' | 'deployment' | 'provider' | 'day' | 'hour';

/** The field each grouping adds to a row (usage-queries.ts maps one to the other). */
export type GroupField = 'key_id' | 'model' | 'org_id' | 'deployment_id' | 'provider' | 'day' | 'hour';

export interface UsageMetrics {
  /** Distinct requests: failover attempts of one request count once. */
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  /** Sum of priced events; null when none was priced. */
  cost: number | null;
  /** Requests with at least one attempt whose tokens are estimated (upstream reported none). */
  estimated_requests: number;
  /** Requests with at least one attempt on an unpriced model (its cost is unknown, not 0). */
  unpriced_requests: number;
}

/** A group field is null where the value is unknown (a call without a key, …). */
export type UsageRow = Partial<Record<GroupField, string | null>> & UsageMetrics & { currency: string };

export interface UsageReport {
  data: UsageRow[];
  /** When events in range carry several currencies, `cost` is null and `cost_by_currency` is set. */
  totals: UsageMetrics & { cost_by_currency?: Record<string, number> };
  /** The one currency of the events in range, the configured one if there are none, or 'mixed'. */
  currency: string;
}

export type SeriesGroup = 'model' | 'provider' | 'org';

export interface SeriesPoint {
  bucket: string;
  model?: string;
  provider?: string;
  /** The org's id (null: the operator's own calls). */
  org?: string | null;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  /** Of priced calls only: a chart needs a number, and `unpriced_requests` says what it leaves out. */
  cost: number;
  /** Requests with an attempt on an unpriced model (their cost is unknown, not 0), as in usage reports. */
  unpriced_requests: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  ttft_p50_ms: number | null;
}

/** A request-log row as the API shows it: ISO time instead of `ts`, a boolean `stream`, no bodies. */
export interface RequestLogSummary {
  id: string;
  created_at: string;
  org_id: string | null;
  key_id: string | null;
  endpoint: string;
  model: string;
  deployment_id: string | null;
  provider: string | null;
  status: number;
  error_code: string | null;
  error_message: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: number | null;
  stream: boolean;
}

export interface RequestLogDetail extends RequestLogSummary {
  /** Redacted JSON text (possibly truncated), null unless the org logs bodies. */
  request_body: string | null;
  response_body: string | null;
}

export interface RequestLogPage {
  object: 'list';
  data: RequestLogSummary[];
  has_more: boolean;
  next_cursor: string | null;
}
