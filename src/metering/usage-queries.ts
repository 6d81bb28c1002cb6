import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Store } from '../store/index.js';
import { roundCost } from './price.js';
import type { MeteringTables } from './tables.js';
import type { GroupField, UsageGroup, UsageMetrics, UsageReport, UsageRow } from './wire-types.js';

export type { GroupField, UsageGroup, UsageMetrics, UsageReport, UsageRow } from './wire-types.js';

export const USAGE_GROUPS = ['key', 'model', 'org', 'deployment', 'provider', 'day', 'hour'] as const satisfies readonly UsageGroup[];

/** The field each grouping adds to a row. */
export const GROUP_FIELD = {
  key: 'key_id',
  model: 'model',
  org: 'org_id',
  deployment: 'deployment_id',
  provider: 'provider',
  day: 'day',
  hour: 'hour',
} as const satisfies Record<UsageGroup, GroupField>;

export interface UsageScope {
  orgId?: string;
  /** Restrict to these orgs (a console user's memberships). Empty = nothing visible. */
  orgIds?: readonly string[];
  keyId?: string;
}

export interface UsageReportQuery extends UsageScope {
  /** Inclusive, ms since epoch. */
  from: number;
  /** Exclusive, ms since epoch. */
  to: number;
  groupBy: readonly UsageGroup[];
}


export interface UsageQueries {
  usageReport(query: UsageReportQuery): Promise<UsageReport>;
  /** Total cost for an org or key in [since, until) (the limiter seeds budgets from it). */
  spentBy(scope: { orgId?: string; keyId?: string; currency?: string }, since?: number, until?: number): Promise<number>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

type Db = Kysely<MeteringTables>;
type UsageSelect = SelectQueryBuilder<MeteringTables, 'usage_events', object>;

export function createUsageQueries(opts: { store: Store; currency?: () => string }): UsageQueries {
  const db: Db = opts.store.db.withTables<MeteringTables>();
  const configured = opts.currency ?? (() => 'USD');

  async function usageReport(query: UsageReportQuery): Promise<UsageReport> {
    const empty = emptyMetrics();
    if (query.orgIds && query.orgIds.length === 0) return { data: [], totals: empty, currency: configured() };
    const base = scoped(db.selectFrom('usage_events'), query).where('ts', '>=', query.from).where('ts', '<', query.to);

    // Always split by currency: a sum across currencies would be meaningless.
    let grouped: SelectQueryBuilder<MeteringTables, 'usage_events', Record<string, unknown>> = base.select('currency').groupBy('currency');
    for (const g of query.groupBy) {
      const expr = groupExpression(g);
      grouped = grouped.select(expr.as(GROUP_FIELD[g])).groupBy(expr);
    }
    const rawRows = (await grouped.select(metricSelections).execute()) as Record<string, unknown>[];
    const data = rawRows.map((raw) => toRow(raw, query.groupBy)).sort(compareRows(query.groupBy));

    const rawTotals = (await base.select(metricSelections).executeTakeFirst()) as Record<string, unknown> | undefined;
    const totals: UsageReport['totals'] = rawTotals ? toMetrics(rawTotals) : empty;
    const currencies = [...new Set(data.map((r) => r.currency))];
    if (currencies.length > 1) {
      const byCurrency: Record<string, number> = {};
      for (const r of data) byCurrency[r.currency] = roundCost((byCurrency[r.currency] ?? 0) + (r.cost ?? 0));
      totals.cost = null;
      totals.cost_by_currency = byCurrency;
    }
    const currency = currencies.length === 0 ? configured() : currencies.length === 1 ? currencies[0]! : 'mixed';
    return { data, totals, currency };
  }

  async function spentBy(scope: { orgId?: string; keyId?: string; currency?: string }, since?: number, until?: number): Promise<number> {
    let q = scoped(db.selectFrom('usage_events'), scope);
    if (since !== undefined) q = q.where('ts', '>=', since);
    if (until !== undefined) q = q.where('ts', '<', until);
    if (scope.currency !== undefined) q = q.where('currency', '=', scope.currency);
    const row = await q.select(sql<number | null>`sum(cost)`.as('cost')).executeTakeFirst();
    return row?.cost == null ? 0 : roundCost(Number(row.cost));
  }

  return { usageReport, spentBy };
}

/** Narrow a usage_events query to what a scope may see (a user with no orgs sees nothing). */
export function scoped<Q extends UsageSelect>(q: Q, scope: UsageScope): Q {
  if (scope.orgId !== undefined) q = q.where('org_id', '=', scope.orgId) as Q;
  if (scope.orgIds !== undefined) q = (scope.orgIds.length ? q.where('org_id', 'in', [...scope.orgIds]) : q.where(sql<boolean>`1 = 0`)) as Q;
  if (scope.keyId !== undefined) q = q.where('key_id', '=', scope.keyId) as Q;
  return q;
}

/**
 * Hour and day buckets by integer arithmetic on the ms timestamp: the same SQL on SQLite and
 * PostgreSQL, and UTC by construction (epoch days are UTC days).
 */
function groupExpression(group: UsageGroup): RawBuilder<unknown> {
  switch (group) {
    case 'day':
      return sql`ts - (ts % ${sql.lit(DAY_MS)})`;
    case 'hour':
      return sql`ts - (ts % ${sql.lit(HOUR_MS)})`;
    default:
      return sql.ref(GROUP_FIELD[group]);
  }
}

const metricSelections = [
  sql<number>`count(distinct request_id)`.as('requests'),
  sql<number>`coalesce(sum(input_tokens), 0)`.as('input_tokens'),
  sql<number>`coalesce(sum(output_tokens), 0)`.as('output_tokens'),
  sql<number>`coalesce(sum(cached_tokens), 0)`.as('cached_tokens'),
  sql<number>`coalesce(sum(reasoning_tokens), 0)`.as('reasoning_tokens'),
  sql<number | null>`sum(cost)`.as('cost'),
  sql<number>`count(distinct case when usage_estimated = 1 then request_id end)`.as('estimated_requests'),
  sql<number>`count(distinct case when cost is null then request_id end)`.as('unpriced_requests'),
];

function toMetrics(raw: Record<string, unknown>): UsageMetrics {
  return {
    requests: Number(raw.requests ?? 0),
    input_tokens: Number(raw.input_tokens ?? 0),
    output_tokens: Number(raw.output_tokens ?? 0),
    cached_tokens: Number(raw.cached_tokens ?? 0),
    reasoning_tokens: Number(raw.reasoning_tokens ?? 0),
    cost: raw.cost == null ? null : roundCost(Number(raw.cost)),
    estimated_requests: Number(raw.estimated_requests ?? 0),
    unpriced_requests: Number(raw.unpriced_requests ?? 0),
  };
}

function toRow(raw: Record<string, unknown>, groupBy: readonly UsageGroup[]): UsageRow {
  const row: Record<string, unknown> = {};
  for (const g of groupBy) {
    const field = GROUP_FIELD[g];
    const value = raw[field];
    if (g === 'day') row[field] = new Date(Number(value)).toISOString().slice(0, 10);
    else if (g === 'hour') row[field] = new Date(Number(value)).toISOString().replace('.000Z', 'Z');
    else row[field] = value == null ? null : String(value);
  }
  return { ...row, ...toMetrics(raw), currency: String(raw.currency) } as UsageRow;
}

/** In JS rather than SQL: the two databases disagree on where NULLs sort. */
function compareRows(groupBy: readonly UsageGroup[]) {
  const fields = [...groupBy.map((g) => GROUP_FIELD[g]), 'currency'] as const;
  return (a: UsageRow, b: UsageRow): number => {
    for (const f of fields) {
      const x = (a as unknown as Record<string, string | null | undefined>)[f];
      const y = (b as unknown as Record<string, string | null | undefined>)[f];
      if (x === y) continue;
      if (x == null) return -1;
      if (y == null) return 1;
      return x < y ? -1 : 1;
    }
    return 0;
  };
}

function emptyMetrics(): UsageMetrics {
  return { requests: 0, input_tokens: 0, output_tokens: 0, cached_tokens: 0, reasoning_tokens: 0, cost: null, estimated_requests: 0, unpriced_requests: 0 };
}
