import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { json, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Budget alerts through the real server: a key's settled spend crosses the org's thresholds,
 * each crossing is stored once, listed per viewer (operator, the org's own key, never another
 * org's), and POSTed to the org's webhook through the SSRF guard, retried after a 5xx.
 */

interface Received {
  path: string;
  body: any;
  answered: number;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('budget alerts: stored, listed per viewer, delivered to the org webhook', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  let hook: Server;
  let hookUrl = '';
  const received: Received[] = [];
  const printed: string[] = [];

  const admin = (method: string, path: string, body?: unknown) => gw.admin(method, path, body);
  const chatAs = (key: string) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }),
    });
  const getAs = async (key: string, path: string) => {
    const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: await json(res) };
  };

  beforeAll(async () => {
    // The webhook receiver: its very first POST is answered 500, every later one 204.
    hook = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        const answered = received.length === 0 ? 500 : 204;
        received.push({ path: req.url ?? '', body: JSON.parse(text), answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    upstream = await startMockUpstream();
    // 127.0.0.1 is allowed by name; any other private address stays refused.
    gw = await startTestGateway(
      `
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  # 1000 per 1M tokens: the echo upstream's 12 tokens cost 0.012.
  - { name: priced, capabilities: [chat], price: { input: 1000, output: 1000 }, deployments: [{ provider: up, model: up-priced }] }
`,
      { BAIMO_FETCH_ALLOWED_HOSTS: '127.0.0.1' },
      { print: (line) => printed.push(line) },
    );
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await new Promise((r) => hook?.close(r));
  });

  it('refuses a webhook URL that is not http(s) with a 400 naming alert_webhook_url', async () => {
    for (const url of ['ftp://hooks.example.com/x', 'javascript:alert(1)', 'hooks.example.com/x']) {
      const created = await admin('POST', '/admin/v1/orgs', { name: `bad-hook-${received.length}-${url.length}`, alert_webhook_url: url });
      expect(created.status, url).toBe(400);
      expect(created.body.error.param).toBe('alert_webhook_url');
    }
    const org = await admin('POST', '/admin/v1/orgs', { name: 'patch-hook' });
    const patched = await admin('PATCH', `/admin/v1/orgs/${org.body.id}`, { alert_webhook_url: 'file:///etc/passwd' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.param).toBe('alert_webhook_url');
    const cleared = await admin('PATCH', `/admin/v1/orgs/${org.body.id}`, { alert_webhook_url: null });
    expect(cleared.body.alert_webhook_url).toBeNull();
  });

  it('a key crossing 50% and 80% stores two alerts, visible to the operator and its own org only, and both reach the webhook', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'alerting', budget_alert_thresholds: [0.5, 0.8], alert_webhook_url: `${hookUrl}/hook?token=sekret` });
    // Write-only: answers show where alerts go, never the token in the path or query.
    expect(org.body.alert_webhook_url).toBe(`${new URL(hookUrl).origin}/…`);
    expect(JSON.stringify((await admin('GET', `/admin/v1/orgs/${org.body.id}`)).body)).not.toContain('sekret');
    const key = (await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'small', budget: 0.04 })).body;
    const other = await admin('POST', '/admin/v1/orgs', { name: 'bystander' });
    const otherKey = (await admin('POST', `/admin/v1/orgs/${other.body.id}/keys`, { name: 'b' })).body.key;

    // 0.012 per call: 30%, 60% (crosses 0.5), 90% (crosses 0.8).
    for (let i = 0; i < 3; i++) expect((await chatAs(key.key)).status).toBe(200);

    const listed = await until(() => admin('GET', `/admin/v1/alerts?org_id=${org.body.id}`), (r) => r.body.data.length >= 2);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ object: 'budget_alert', org_id: org.body.id, key_id: key.id, threshold: 0.8, budget: 0.04, period: null, currency: expect.any(String) }),
      expect.objectContaining({ org_id: org.body.id, key_id: key.id, threshold: 0.5, budget: 0.04 }),
    ]);
    expect(listed.body.data[0].spent).toBeCloseTo(0.036, 9);
    expect(listed.body.has_more).toBe(false);

    const paged = await admin('GET', `/admin/v1/alerts?org_id=${org.body.id}&limit=1`);
    expect(paged.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const rest = await admin('GET', `/admin/v1/alerts?org_id=${org.body.id}&limit=1&cursor=${paged.body.next_cursor}`);
    expect(rest.body.data.map((a: { threshold: number }) => a.threshold)).toEqual([0.5]);

    const own = await getAs(key.key, '/v1/alerts');
    expect(own.status).toBe(200);
    expect(own.body.data.map((a: { id: string }) => a.id)).toEqual(listed.body.data.map((a: { id: string }) => a.id));
    expect((await getAs(otherKey, '/v1/alerts')).body.data).toEqual([]);
    const foreign = await getAs(otherKey, `/v1/alerts?org_id=${org.body.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await getAs(key.key, '/admin/v1/alerts')).status).toBe(403);

    // Both delivered; the first POST got a 500 and was retried.
    const delivered = () => received.filter((r) => r.answered === 204);
    await until(async () => delivered().length, (n) => n >= 2, 20_000);
    expect(received[0]!.answered).toBe(500);
    expect(delivered().map((r) => r.body.threshold).sort()).toEqual([0.5, 0.8]);
    expect(received.every((r) => r.path === '/hook?token=sekret')).toBe(true);
    expect(delivered()[0]!.body).toEqual({
      type: 'budget.alert',
      id: expect.any(String),
      org_id: org.body.id,
      key_id: key.id,
      threshold: expect.any(Number),
      budget: 0.04,
      spent: expect.any(Number),
      currency: expect.any(String),
      period: null,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(received).toHaveLength(3);
    expect(printed.join('\n')).toContain('budget alert: key:');
    expect(printed.join('\n')).not.toContain('sekret');
  }, 40_000);

  it('refuses a webhook on a private address that is not allowed: logged, never fetched', async () => {
    const before = received.length;
    const org = await admin('POST', '/admin/v1/orgs', { name: 'private-hook', budget: 0.02, budget_alert_thresholds: [0.5], alert_webhook_url: 'http://10.0.0.7:9/hook?token=sekret' });
    const key = (await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'k' })).body.key;
    expect((await chatAs(key)).status).toBe(200);
    const alerts = await until(() => admin('GET', `/admin/v1/alerts?org_id=${org.body.id}`), (r) => r.body.data.length >= 1);
    expect(alerts.body.data).toEqual([expect.objectContaining({ key_id: null, threshold: 0.5, budget: 0.02 })]);
    const refusal = await until(async () => printed.find((l) => l.includes(alerts.body.data[0].id)), (l) => l !== undefined);
    expect(refusal).toMatch(/webhook at 10\.0\.0\.7:9 refused/);
    expect(printed.join('\n')).not.toContain('sekret');
    expect(received.length).toBe(before);
  });
});
