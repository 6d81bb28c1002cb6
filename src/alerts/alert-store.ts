import type { Kysely } from 'kysely';
import { keysetPage, type LogCursor, type UsageScope } from '../metering/index.js';
import type { Store } from '../store/index.js';
import type { AlertTables, BudgetAlertsTable } from './tables.js';
import type { AlertPage, BudgetAlertView } from './views.js';

export type { AlertPage, BudgetAlertView };

/** A crossing to store, as the server reads it off the limiter's report. */
export interface AlertInput {
  orgId: string;
  keyId: string | null;
  scopeId: string;
  period: string | null;
  threshold: number;
  budget: number;
  spent: number;
  currency: string;
}

export interface AlertFilter extends Pick<UsageScope, 'orgId' | 'orgIds'> {
  /** Inclusive, ms. */
  from?: number;
  /** Exclusive, ms. */
  to?: number;
  limit: number;
  cursor?: LogCursor;
}

export interface AlertStore {
  /**
   * Stores a crossing unless it is already stored; answers the new alert, or undefined for a
   * duplicate. `alsoInTransaction` runs with the insert (enqueueing its delivery), so a crash
   * cannot keep one without the other.
   */
  record(input: AlertInput, alsoInTransaction?: (trx: Kysely<any>, alert: BudgetAlertView) => Promise<void>): Promise<BudgetAlertView | undefined>;
  list(filter: AlertFilter): Promise<AlertPage>;
  get(id: string): Promise<BudgetAlertView | undefined>;
}

export function createAlertStore(opts: { store: Store; now: () => number; newId: (prefix: string) => string }): AlertStore {
  const db: Kysely<AlertTables> = opts.store.db.withTables<AlertTables>();

  return {
    async record(input, alsoInTransaction) {
      const row: BudgetAlertsTable = {
        id: opts.newId('alert'),
        org_id: input.orgId,
        key_id: input.keyId,
        scope_id: input.scopeId,
        period: input.period,
        threshold: input.threshold,
        budget: input.budget,
        spent: Math.round(input.spent * 1e9) / 1e9,
        currency: input.currency,
        created_at: opts.now(),
      };
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('budget_alerts')
          .values(row)
          .onConflict((oc) => oc.columns(['scope_id', 'threshold', 'budget']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return undefined;
        const alert = toView(row);
        await alsoInTransaction?.(trx, alert);
        return alert;
      });
    },

    async list(filter) {
      if (filter.orgIds && filter.orgIds.length === 0) return { object: 'list', data: [], has_more: false, next_cursor: null };
      let q = db.selectFrom('budget_alerts').selectAll();
      if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
      if (filter.orgIds !== undefined) q = q.where('org_id', 'in', [...filter.orgIds]);
      if (filter.from !== undefined) q = q.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('created_at', '<', filter.to);
      const c = filter.cursor;
      if (c) q = q.where((eb) => eb.or([eb('created_at', '<', c.ts), eb.and([eb('created_at', '=', c.ts), eb('id', '<', c.id)])]));
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
      return keysetPage(rows, filter.limit, toView, (row) => ({ ts: Number(row.created_at), id: row.id }));
    },

    async get(id) {
      const row = await db.selectFrom('budget_alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toView(row) : undefined;
    },
  };
}

function toView(row: BudgetAlertsTable): BudgetAlertView {
  // PostgreSQL answers bigint and double columns as strings or numbers depending on the driver.
  return {
    id: row.id,
    object: 'budget_alert',
    org_id: row.org_id,
    key_id: row.key_id,
    period: row.period,
    threshold: Number(row.threshold),
    budget: Number(row.budget),
    spent: Number(row.spent),
    currency: row.currency,
    created_at: new Date(Number(row.created_at)).toISOString(),
  };
}
