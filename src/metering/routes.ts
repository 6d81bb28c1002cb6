import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { forbidden, invalidRequest } from '../protocol/errors.js';
import { usageReportCsv } from './csv.js';
import { parseQuery, parseTimeParam } from './query-params.js';
import { USAGE_GROUPS, type UsageGroup, type UsageQueries } from './usage-queries.js';
import { scopeFor, type AuthorizeViewer, type UsageViewer } from './viewer.js';

export interface UsageRoutesOptions {
  queries: UsageQueries;
  authorize: AuthorizeViewer;
  now: () => number;
}

/** Without `from`, a report covers the 30 days before `to`. */
export const DEFAULT_RANGE_MS = 30 * 86_400_000;

/** Query-parameter descriptions shared by the usage, time-series and log routes' schemas. */
export const FROM_PARAM = 'Unix seconds or ISO 8601 (a date-time without an offset is UTC); inclusive';
export const TO_PARAM = 'Unix seconds or ISO 8601; exclusive. Default: now';
export const ORG_PARAM = 'Only this org (404 if the caller cannot see it)';
export const KEY_PARAM = 'Only this key';

export const usageQuerySchema = z.strictObject({
  from: z.string().optional().describe(`${FROM_PARAM}. Default: 30 days before \`to\``),
  to: z.string().optional().describe(TO_PARAM),
  // `group_by=day,model` or repeated `group_by=day&group_by=model`.
  group_by: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(`Any of ${USAGE_GROUPS.join(', ')}, comma-separated or repeated. Omitted: one row for the whole range`),
  org_id: z.string().min(1).optional().describe(ORG_PARAM),
  key_id: z.string().min(1).optional().describe(KEY_PARAM),
  format: z.enum(['json', 'csv']).optional().describe('`csv` answers text/csv: a header row, then the rows'),
});

/**
 * `GET /admin/v1/usage` (operators: every org; console users: their orgs) and `GET /v1/usage`
 * (any viewer; a tenant key sees its own org). Same parameters and answer on both; DESIGN.md §2a.
 */
export function registerUsageRoutes(app: FastifyInstance, opts: UsageRoutesOptions): void {
  app.get('/admin/v1/usage', async (request, reply) => {
    const viewer = await adminViewer(opts.authorize, request);
    return answer(viewer, request, reply);
  });
  app.get('/v1/usage', async (request, reply) => {
    const viewer = await opts.authorize(request);
    return answer(viewer, request, reply);
  });

  async function answer(viewer: UsageViewer, request: FastifyRequest, reply: FastifyReply) {
    const q = parseQuery(usageQuerySchema, request.query);
    const to = q.to === undefined ? opts.now() : parseTimeParam(q.to, 'to');
    const from = q.from === undefined ? to - DEFAULT_RANGE_MS : parseTimeParam(q.from, 'from');
    if (from >= to) throw invalidRequest(`'from' must be earlier than 'to'.`, 'from');
    const groupBy = parseGroupBy(q.group_by);
    const scope = scopeFor(viewer, { orgId: q.org_id, keyId: q.key_id });
    const report = await opts.queries.usageReport({ ...scope, from, to, groupBy });
    if (q.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="usage.csv"').send(usageReportCsv(report, groupBy));
    }
    return {
      object: 'usage_report',
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      group_by: groupBy,
      ...report,
    };
  }
}

/** The admin API is for operators and console users; tenant keys read `/v1/usage`. */
export async function adminViewer(authorize: AuthorizeViewer, request: FastifyRequest): Promise<UsageViewer> {
  const viewer = await authorize(request);
  if (viewer.kind === 'key') throw forbidden('Tenant API keys cannot use the admin API; read your usage at /v1/usage.');
  return viewer;
}

export function parseGroupBy(raw: string | string[] | undefined): UsageGroup[] {
  if (raw === undefined) return [];
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).map((s) => s.trim());
  const groups: UsageGroup[] = [];
  for (const part of parts) {
    if (!(USAGE_GROUPS as readonly string[]).includes(part)) {
      throw invalidRequest(`'group_by' accepts ${USAGE_GROUPS.join(', ')} (comma-separated); got '${part}'.`, 'group_by');
    }
    if (groups.includes(part as UsageGroup)) throw invalidRequest(`'group_by' lists '${part}' twice.`, 'group_by');
    groups.push(part as UsageGroup);
  }
  return groups;
}
