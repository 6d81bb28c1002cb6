import type { MigrationSet } from '../store/index.js';

/**
 * The table the alerts module owns (house rule 2). One row per budget threshold crossed:
 * unique per (scope, threshold, budget), so a replayed settlement or a second replica reporting
 * the same crossing stores it once. A monthly budget's scope id carries its month
 * (`key:k1@2026-11`), so each month re-arms. Portable types, as in metering's tables.
 */
export type BudgetAlertsTable = {
  id: string;
  org_id: string;
  /** Null for an org-wide budget. */
  key_id: string | null;
  /** The limiter scope that crossed: `key:k1`, `org:o1@2026-11`. */
  scope_id: string;
  /** `2026-11` for a monthly budget; null for a lifetime one. */
  period: string | null;
  threshold: number;
  budget: number;
  spent: number;
  currency: string;
  /** ms since epoch (UTC). */
  created_at: number;
};

export type AlertTables = { budget_alerts: BudgetAlertsTable };

export const alertsMigrations: MigrationSet = {
  '20261126_31_budget_alerts': {
    up: async (db) => {
      await db.schema
        .createTable('budget_alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text')
        .addColumn('scope_id', 'text', (c) => c.notNull())
        .addColumn('period', 'text')
        .addColumn('threshold', 'double precision', (c) => c.notNull())
        .addColumn('budget', 'double precision', (c) => c.notNull())
        .addColumn('spent', 'double precision', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('budget_alerts_crossing').unique().on('budget_alerts').columns(['scope_id', 'threshold', 'budget']).execute();
      await db.schema.createIndex('budget_alerts_org_created').on('budget_alerts').columns(['org_id', 'created_at']).execute();
      await db.schema.createIndex('budget_alerts_created').on('budget_alerts').columns(['created_at', 'id']).execute();
    },
  },
};
