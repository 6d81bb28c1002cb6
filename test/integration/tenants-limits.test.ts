import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { json, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Tenancy and limits through the public contract (DESIGN.md §2a), embedded mode: an operator
 * creates an org and keys over the admin API, tenants call with their keys, limits refuse with
 * 429s shaped like OpenAI's, budgets stop hard, usage is metered per attempt.
 */
describe('tenants, keys, limits and budgets (embedded)', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;

  const admin = (method: string, path: string, body?: unknown) => gw.admin(method, path, body);
  const chatAs = (key: string, model = 'priced', extra: Record<string, unknown> = {}) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, ...extra }),
    });

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  # 1000 per 1M tokens: the echo upstream's 12 tokens cost 0.012.
  - { name: priced, capabilities: [chat], price: { input: 1000, output: 1000 }, deployments: [{ provider: up, model: up-priced }] }
  - { name: other, capabilities: [chat], price: { input: 1, output: 1 }, deployments: [{ provider: up, model: up-other }] }
`);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('creates an org and a key (shown once, sk-bm- prefix) and the key calls the API', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'acme' });
    expect(org.status).toBe(201);
    expect(org.body).toMatchObject({ id: expect.any(String), name: 'acme' });
    const key = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'ci' });
    expect(key.body.key).toMatch(/^sk-bm-/);
    expect(key.body.prefix).toBe(key.body.key.slice(0, key.body.prefix.length));
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key.body.key, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hello' }] });
    expect(res.choices[0]!.message.content).toBe('echo: hello');
    const listed = await admin('GET', `/admin/v1/orgs/${org.body.id}/keys`);
    expect(JSON.stringify(listed.body)).not.toContain(key.body.key);
  });

  it('keeps deployment health (providers, upstream ids, upstream errors) from tenants: 403 for a key, 200 for the operator', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'health-probe' });
    const key = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'k' });
    const asTenant = await fetch(`${gw.url}/admin/v1/deployments/health`, { headers: { authorization: `Bearer ${key.body.key}` } });
    expect(asTenant.status).toBe(403);
    expect((await json(asTenant)).error.code).toBe('permission_denied');
    const asOperator = await admin('GET', '/admin/v1/deployments/health');
    expect(asOperator.status).toBe(200);
    expect(asOperator.body.data.map((d: { upstream_model: string }) => d.upstream_model)).toContain('up-priced');
  });

  it('restricts a key to its allowed models', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'restricted' });
    const key = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'only-other', models: ['other'] });
    expect((await chatAs(key.body.key, 'other')).status).toBe(200);
    const refused = await chatAs(key.body.key, 'priced');
    expect(refused.status).toBe(404);
    expect((await json(refused)).error.code).toBe('model_not_found');
    const models = await json(await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key.body.key}` } }));
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['other']);
  });

  it('refuses over RPM with 429, retry-after and x-ratelimit headers', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'rpm' });
    const key = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'slow', rpm: 3 });
    const ok = await chatAs(key.body.key, 'other');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(ok.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    await chatAs(key.body.key, 'other');
    await chatAs(key.body.key, 'other');
    const refused = await chatAs(key.body.key, 'other');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(refused)).error.code).toBe('rate_limit_exceeded');
  });

  it('stops hard at the budget: 200 parallel requests overspend by at most one request', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'budget' });
    const budget = 0.3;
    const key = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'tight', budget });
    const results = await Promise.all(Array.from({ length: 200 }, () => chatAs(key.body.key).then(async (r) => ({ status: r.status, body: await json(r) }))));
    const ok = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 429);
    expect(ok).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.body.error.code === 'budget_exceeded')).toBe(true);
    await gw.server.flushUsage();
    const usage = await admin('GET', `/admin/v1/usage?group_by=key&org_id=${org.body.id}`);
    const spent = usage.body.totals.cost;
    expect(spent).toBeCloseTo(ok * 0.012, 6);
    expect(spent).toBeLessThanOrEqual(budget + 0.012 + 1e-9);
    const after = await chatAs(key.body.key);
    expect(after.status).toBe(429);
  });

  it('charges a streamed answer to the budget when the stream ends', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'stream-budget' });
    // Each answer costs 0.012 (12 tokens at 1000 per 1M); one is admitted (estimate ~0.015), a second is not once the first is charged.
    const key = (await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'streamer', budget: 0.02 })).body.key;
    const first = await chatAs(key, 'priced', { stream: true });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('[DONE]');
    const refused = await chatAs(key, 'priced', { stream: true });
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.code).toBe('budget_exceeded');
  });

  it('a monthly budget refuses once spent, saying when it resets; a PATCH to monthly takes effect at once', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'monthly-budget' });
    // One answer (0.012) fits in 0.02; the next estimate (~0.015) does not.
    const key = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'monthly', budget: 0.02, budget_period: 'monthly' });
    expect(key.body.budget_period).toBe('monthly');
    expect((await chatAs(key.body.key)).status).toBe(200);
    const refused = await chatAs(key.body.key);
    const now = new Date();
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const untilNextMonth = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime()) / 1000;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(Math.abs(Number(refused.headers.get('retry-after')) - untilNextMonth)).toBeLessThan(5);
    const { error } = await json(refused);
    expect(error).toMatchObject({ code: 'budget_exceeded', type: 'insufficient_quota' });
    expect(error.message).toContain(`key:${key.body.id}@${month}`);
    expect(error.message).toMatch(/The budget resets at \d{4}-\d{2}-01T00:00:00\.000Z\.$/);

    // A lifetime key, spent, turned monthly: the cached key follows the PATCH, and this month's
    // spend (reloaded from metering) still holds it.
    const lifetime = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'lifetime', budget: 0.02 });
    expect((await chatAs(lifetime.body.key)).status).toBe(200);
    const before = await json(await chatAs(lifetime.body.key));
    expect(before.error.message).not.toContain('@');
    expect((await admin('PATCH', `/admin/v1/keys/${lifetime.body.id}`, { budget_period: 'monthly' })).body.budget_period).toBe('monthly');
    const after = await json(await chatAs(lifetime.body.key));
    expect(after.error).toMatchObject({ code: 'budget_exceeded' });
    expect(after.error.message).toContain(`key:${lifetime.body.id}@${month}: budget 0.02, spent 0.012`);
  });

  it('meters one usage event per attempt, visible to the tenant at /v1/usage and not to others', async () => {
    const a = await admin('POST', '/admin/v1/orgs', { name: 'meter-a' });
    const b = await admin('POST', '/admin/v1/orgs', { name: 'meter-b' });
    const keyA = (await admin('POST', `/admin/v1/orgs/${a.body.id}/keys`, { name: 'a' })).body.key;
    const keyB = (await admin('POST', `/admin/v1/orgs/${b.body.id}/keys`, { name: 'b' })).body.key;
    for (let i = 0; i < 3; i++) expect((await chatAs(keyA)).status).toBe(200);
    const stream = await chatAs(keyA, 'priced', { stream: true });
    await stream.text();
    await gw.server.flushUsage();
    const mine = await json(await fetch(`${gw.url}/v1/usage?group_by=model`, { headers: { authorization: `Bearer ${keyA}` } }));
    expect(mine.totals).toMatchObject({ requests: 4, input_tokens: 20, output_tokens: 28 });
    expect(mine.totals.cost).toBeCloseTo(4 * 0.012, 9);
    const theirs = await json(await fetch(`${gw.url}/v1/usage?group_by=model`, { headers: { authorization: `Bearer ${keyB}` } }));
    expect(theirs.totals.requests).toBe(0);
    const foreign = await fetch(`${gw.url}/v1/usage?org_id=${a.body.id}`, { headers: { authorization: `Bearer ${keyB}` } });
    expect([403, 404]).toContain(foreign.status);
  });

  it('a revoked key is refused at once', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'revoke' });
    const key = await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'doomed' });
    expect((await chatAs(key.body.key, 'other')).status).toBe(200);
    expect((await admin('DELETE', `/admin/v1/keys/${key.body.id}`)).status).toBeLessThan(300);
    const refused = await chatAs(key.body.key, 'other');
    expect(refused.status).toBe(401);
    expect((await json(refused)).error.code).toBe('invalid_api_key');
  });
});
