import type { BudgetAlert } from '../limits/index.js';
import { monthOf, parseScopeId } from '../limits/index.js';
import type { JobQueue } from '../jobs/queue.js';
import type { AlertStore, BudgetAlertView } from './alert-store.js';
import { ALERT_WEBHOOK_JOB, type AlertWebhookPayload } from './webhook.js';

export interface BudgetAlertsDeps {
  alerts: AlertStore;
  queue: Pick<JobQueue, 'enqueue' | 'wake'>;
  webhookUrlOf: (orgId: string) => Promise<string | null | undefined>;
  currency: () => string;
  log: (message: string, err?: unknown) => void;
}

export interface BudgetAlerts {
  /**
   * A settlement crossed a threshold: store it, then enqueue its webhook delivery. Runs in the
   * background (the reply has gone; the request path never waits on it); failures are logged.
   */
  report(tenant: { orgId: string; keyId?: string }, alert: BudgetAlert): void;
  /** Stores and enqueues now; answers the stored alert, or undefined for a duplicate. */
  record(tenant: { orgId: string; keyId?: string }, alert: BudgetAlert): Promise<BudgetAlertView | undefined>;
  /** Waits for reports still being stored (shutdown, tests). */
  idle(): Promise<void>;
}

export function createBudgetAlerts(deps: BudgetAlertsDeps): BudgetAlerts {
  const pending = new Set<Promise<unknown>>();

  async function record(tenant: { orgId: string; keyId?: string }, alert: BudgetAlert): Promise<BudgetAlertView | undefined> {
    const scope = parseScopeId(alert.scopeId);
    const orgId = scope.kind === 'org' ? scope.id : tenant.orgId;
    const url = await deps.webhookUrlOf(orgId);
    const stored = await deps.alerts.record(
      {
        orgId,
        keyId: scope.kind === 'key' ? scope.id : null,
        scopeId: alert.scopeId,
        period: scope.since === undefined ? null : monthOf(scope.since).label,
        threshold: alert.threshold,
        budget: alert.budget,
        spent: alert.spent,
        currency: deps.currency(),
      },
      url
        ? async (trx, a) => {
            const payload: AlertWebhookPayload = { alert_id: a.id };
            await deps.queue.enqueue({ kind: ALERT_WEBHOOK_JOB, orgId, payload }, trx);
          }
        : undefined,
    );
    if (stored && url) deps.queue.wake();
    return stored;
  }

  return {
    record,
    report(tenant, alert) {
      const work = record(tenant, alert).catch((err: unknown) => deps.log(`budget alert for ${alert.scopeId} could not be stored`, err));
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
    async idle() {
      await Promise.all([...pending]);
    },
  };
}
