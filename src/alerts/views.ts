/**
 * What the alerts module hands out, in a Node-free file: the console imports these types
 * directly (console/src/api/types.ts).
 */

/** A stored alert as the API and the webhook show it. */
export interface BudgetAlertView {
  id: string;
  object: 'budget_alert';
  org_id: string;
  key_id: string | null;
  period: string | null;
  threshold: number;
  budget: number;
  spent: number;
  currency: string;
  created_at: string;
}

export interface AlertPage {
  object: 'list';
  data: BudgetAlertView[];
  has_more: boolean;
  next_cursor: string | null;
}
