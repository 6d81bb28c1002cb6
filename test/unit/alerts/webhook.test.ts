import { describe, expect, it } from 'vitest';
import { createAlertWebhookHandler, webhookBody, type BudgetAlertView } from '../../../src/alerts/index.js';
import { RetryLater, type Job } from '../../../src/jobs/queue.js';
import { fetchFailed, urlForbidden } from '../../../src/net/fetch-errors.js';

const alert: BudgetAlertView = {
  id: 'alert_1', object: 'budget_alert', org_id: 'org_a', key_id: 'key_a', period: null,
  threshold: 0.8, budget: 1, spent: 0.85, currency: 'USD', created_at: '2026-11-25T08:00:00.000Z',
};
const URL_WITH_SECRET = 'https://hooks.example.com/services/T0/B0/s3cr3t?token=abc';
const job: Job = { id: 'job_1', kind: 'alert.webhook', orgId: 'org_a', payload: { alert_id: 'alert_1' }, attempts: 1 };
const ctx = { signal: new AbortController().signal };

function handler(post: (url: string, body: string) => Promise<number>, url: string | null = URL_WITH_SECRET) {
  const logs: string[] = [];
  const posts: { url: string; body: unknown }[] = [];
  const run = createAlertWebhookHandler({
    alerts: { get: async (id) => (id === alert.id ? alert : undefined) },
    webhookUrlOf: async () => url,
    post: async (u, body) => {
      posts.push({ url: u, body: JSON.parse(body) });
      return post(u, body);
    },
    log: (m) => logs.push(m),
  });
  return { run: () => run(job, ctx), logs, posts };
}

describe('alert webhook delivery', () => {
  it('POSTs the alert as a budget.alert event', async () => {
    const h = handler(async () => 204);
    await h.run();
    expect(h.posts).toEqual([{ url: URL_WITH_SECRET, body: { type: 'budget.alert', id: 'alert_1', org_id: 'org_a', key_id: 'key_a', threshold: 0.8, budget: 1, spent: 0.85, currency: 'USD', period: null, created_at: alert.created_at } }]);
    expect(JSON.parse(webhookBody(alert)).type).toBe('budget.alert');
  });

  it.each([500, 503, 429])('retries later on %i', async (status) => {
    await expect(handler(async () => status).run()).rejects.toBeInstanceOf(RetryLater);
  });

  it('retries later when the connection fails or times out', async () => {
    await expect(handler(async () => Promise.reject(fetchFailed('the connection to the server failed'))).run()).rejects.toBeInstanceOf(RetryLater);
  });

  it('drops a 4xx with a log line that names the host only', async () => {
    const h = handler(async () => 410);
    await h.run();
    expect(h.logs).toEqual([expect.stringContaining('hooks.example.com answered 410; dropped')]);
    expect(h.logs.join()).not.toMatch(/token|s3cr3t|services/);
  });

  it('drops a URL the SSRF guard refuses, without retrying', async () => {
    const h = handler(async () => Promise.reject(urlForbidden('10.0.0.5')));
    await h.run();
    expect(h.logs).toEqual([expect.stringContaining('refused')]);
  });

  it('delivers nothing once the org removed its webhook URL', async () => {
    const h = handler(async () => 200, null);
    await h.run();
    expect(h.posts).toEqual([]);
  });
});
