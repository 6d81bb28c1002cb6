import { BaimoError } from '../protocol/errors.js';
import { RetryLater, type JobHandler } from '../jobs/queue.js';
import type { AlertStore, BudgetAlertView } from './alert-store.js';

/** The job kind that delivers one stored alert to its org's webhook. */
export const ALERT_WEBHOOK_JOB = 'alert.webhook';

export interface AlertWebhookPayload {
  alert_id: string;
}

/** POSTs a JSON body; answers the status, throws a BaimoError (net's fetch errors) when no answer came. */
export type PostJson = (url: string, body: string) => Promise<number>;

export interface AlertWebhookDeps {
  alerts: Pick<AlertStore, 'get'>;
  /** The org's current webhook URL (read at delivery: a URL removed meanwhile stops delivery). */
  webhookUrlOf: (orgId: string) => Promise<string | null | undefined>;
  post: PostJson;
  log: (message: string) => void;
}

/** The webhook's body: what happened, never where it was sent or any credential. */
export function webhookBody(alert: BudgetAlertView): string {
  return JSON.stringify({
    type: 'budget.alert',
    id: alert.id,
    org_id: alert.org_id,
    key_id: alert.key_id,
    threshold: alert.threshold,
    budget: alert.budget,
    spent: alert.spent,
    currency: alert.currency,
    period: alert.period,
    created_at: alert.created_at,
  });
}

/**
 * One delivery attempt. Network errors, timeouts, 429 and 5xx are retried by the job queue with
 * backoff (a bounded number of attempts); a 4xx or a URL the SSRF guard refuses is dropped at
 * once, with a log line: retrying cannot fix either. Logs name only the URL's host, because
 * webhook URLs often carry a token in their path or query.
 */
export function createAlertWebhookHandler(deps: AlertWebhookDeps): JobHandler {
  return async (job) => {
    const { alert_id: alertId } = job.payload as AlertWebhookPayload;
    const alert = await deps.alerts.get(alertId);
    if (!alert) return;
    const url = await deps.webhookUrlOf(alert.org_id);
    if (!url) return;
    const host = hostOf(url);
    let status: number;
    try {
      status = await deps.post(url, webhookBody(alert));
    } catch (err) {
      if (BaimoError.is(err) && (err.code === 'url_forbidden' || err.code === 'url_invalid')) {
        deps.log(`budget alert ${alertId}: webhook at ${host} refused (${err.message}); not delivered`);
        return;
      }
      throw new RetryLater(`webhook at ${host} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (status >= 200 && status < 300) return;
    if (status === 429 || status >= 500) throw new RetryLater(`webhook at ${host} answered ${status}`);
    deps.log(`budget alert ${alertId}: webhook at ${host} answered ${status}; dropped`);
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
