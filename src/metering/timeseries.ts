import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../store/index.js';
import { invalidRequest } from '../protocol/errors.js';
import { parseQuery, parseTimeParam } from './query-params.js';
import { adminViewer, DEFAULT_RANGE_MS, FROM_PARAM, KEY_PARAM, ORG_PARAM, TO_PARAM } from './routes.js';
import type { MeteringTables } from './tables.js';
import { scoped, type UsageScope } from './usage-queries.js';
import { scopeFor, type AuthorizeViewer } from './viewer.js';
import type { SeriesGroup, SeriesPoint } from './wire-types.js';

export type { SeriesGroup, SeriesPoint } from './wire-types.js';

/**
 * Time series for the console's Overview: per hour or day bucket (and optionally per model,
 * provider or org), requests, errors, tokens, cost, and p50/p95 latency and p50 time to first
 * token. Counts and sums are done by the database; percentiles need the values, so the rows of
 * the range are read (capped) and bucketed here — the console asks for bounded ranges.
 */

export type Bucket = 'hour' | 'day';

/** Rows read per query at most; a longer range should use coarser buckets. */
export const MAX_SERIES_ROWS = 200_000;

export async function usageTimeseries(
  store: Store,
  q: UsageScope & { from: number; to: number; bucket: Bucket; groupBy?: SeriesGroup },
): Promise<{ data: SeriesPoint[]; truncated: boolean }> {
  const db = store.db.withTables<MeteringTables>();
  const rows = await scoped(db.selectFrom('usage_events'), q)
    .select(['request_id', 'ts', 'model', 'provider', 'org_id', 'status', 'input_tokens', 'output_tokens', 'cost', 'latency_ms', 'ttft_ms'])
    .where('ts', '>=', q.from)
    .where('ts', '<', q.to)
    .orderBy('ts')
    .limit(MAX_SERIES_ROWS + 1)
    .execute();
  const truncated = rows.length > MAX_SERIES_ROWS;
  const size = q.bucket === 'hour' ? 3_600_000 : 86_400_000;

  interface Acc extends Omit<SeriesPoint, 'latency_p50_ms' | 'latency_p95_ms' | 'ttft_p50_ms' | 'unpriced_requests'> {
    latencies: number[];
    ttfts: number[];
    requestIds: Set<string>;
    unpricedIds: Set<string>;
  }
  const groups = new Map<string, Acc>();
  for (const r of rows.slice(0, MAX_SERIES_ROWS)) {
    const start = r.ts - (r.ts % size);
    const label = q.groupBy === 'model' ? r.model : q.groupBy === 'provider' ? r.provider : q.groupBy === 'org' ? r.org_id : undefined;
    const key = `${start}|${label ?? ''}`;
    let acc = groups.get(key);
    if (!acc) {
      acc = {
        bucket: new Date(start).toISOString(),
        ...(q.groupBy ? { [q.groupBy]: label ?? null } : {}),
        requests: 0,
        errors: 0,
        input_tokens: 0,
        output_tokens: 0,
        cost: 0,
        latencies: [],
        ttfts: [],
        requestIds: new Set(),
        unpricedIds: new Set(),
      };
      groups.set(key, acc);
    }
    acc.requestIds.add(r.request_id);
    if (r.status >= 400) acc.errors += 1;
    acc.input_tokens += r.input_tokens ?? 0;
    acc.output_tokens += r.output_tokens ?? 0;
    if (r.cost === null) acc.unpricedIds.add(r.request_id);
    else acc.cost += r.cost;
    if (r.latency_ms !== null) acc.latencies.push(r.latency_ms);
    if (r.ttft_ms !== null && r.status < 400) acc.ttfts.push(r.ttft_ms);
  }
  const data = [...groups.values()].map(({ latencies, ttfts, requestIds, unpricedIds, ...rest }) => ({
    ...rest,
    requests: requestIds.size,
    unpriced_requests: unpricedIds.size,
    cost: Math.round(rest.cost * 1e9) / 1e9,
    latency_p50_ms: percentile(latencies, 0.5),
    latency_p95_ms: percentile(latencies, 0.95),
    ttft_p50_ms: percentile(ttfts, 0.5),
  }));
  return { data, truncated };
}

function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const seriesQuerySchema = z.strictObject({
  from: z.string().optional().describe(`${FROM_PARAM}. Default: 30 days before \`to\``),
  to: z.string().optional().describe(TO_PARAM),
  bucket: z.enum(['hour', 'day']).optional().describe('Bucket size (UTC). Default: hour'),
  group_by: z.enum(['model', 'provider', 'org']).optional().describe('Also split each bucket by this field'),
  org_id: z.string().min(1).optional().describe(ORG_PARAM),
  key_id: z.string().min(1).optional().describe(KEY_PARAM),
});

/** `GET /admin/v1/usage/timeseries` — same visibility rules as `/admin/v1/usage`. */
export function registerTimeseriesRoute(app: FastifyInstance, opts: { store: Store; authorize: AuthorizeViewer; now: () => number }): void {
  app.get('/admin/v1/usage/timeseries', async (request) => {
    const viewer = await adminViewer(opts.authorize, request);
    const q = parseQuery(seriesQuerySchema, request.query);
    const to = q.to === undefined ? opts.now() : parseTimeParam(q.to, 'to');
    const from = q.from === undefined ? to - DEFAULT_RANGE_MS : parseTimeParam(q.from, 'from');
    if (from >= to) throw invalidRequest(`'from' must be earlier than 'to'.`, 'from');
    const scope = scopeFor(viewer, { orgId: q.org_id, keyId: q.key_id });
    const result = await usageTimeseries(opts.store, { ...scope, from, to, bucket: q.bucket ?? 'hour', groupBy: q.group_by });
    return { object: 'usage_timeseries', from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket: q.bucket ?? 'hour', ...result };
  });
}
