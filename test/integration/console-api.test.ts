import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { json, startTestGateway, type TestGateway } from '../support/gateway.js';

/** The admin routes the console stands on: catalog and vendor keys, test calls, time series, session calls. */
describe('console backend API', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  const call = async (method: string, path: string, body?: unknown, auth: Record<string, string> = {}) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${gw.server.masterKey}`, 'content-type': 'application/json', ...auth },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1", timeouts: { connect_ms: 500, first_byte_ms: 1000, idle_ms: 1000, total_ms: 5000 } }
  - { name: dead, kind: openai-compatible, base_url: "http://127.0.0.1:9/v1", timeouts: { connect_ms: 300, first_byte_ms: 500, idle_ms: 500, total_ms: 2000 } }
models:
  - { name: m, capabilities: [chat], price: { input: 1, output: 2 }, deployments: [{ provider: up, model: up-m }, { provider: dead, model: gone, priority: 1 }] }
  - { name: unpriced, capabilities: [chat], deployments: [{ provider: up, model: up-free }] }
`);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('lists the built-in catalog and publishes a vendor when its key is pasted, stored encrypted', async () => {
    const before = await call('GET', '/admin/v1/catalog');
    const deepseek = before.body.data.find((v: { vendor: string }) => v.vendor === 'deepseek');
    expect(deepseek).toMatchObject({ enabled: false, env_key: 'DEEPSEEK_API_KEY' });
    expect(deepseek.models.map((m: { name: string }) => m.name)).toContain('deepseek-v4-flash');

    expect((await call('POST', '/admin/v1/providers/deepseek/credential', { api_key: 'sk-deepseek-pasted-123456' })).status).toBe(204);
    const after = await call('GET', '/admin/v1/catalog');
    expect(after.body.data.find((v: { vendor: string }) => v.vendor === 'deepseek')).toMatchObject({ enabled: true, key_stored: true });
    const models = await call('GET', '/v1/models');
    expect(models.body.data.map((m: { id: string }) => m.id)).toContain('deepseek-v4-flash');

    const db = new Database(join(gw.dir, 'data', 'baimo.db'), { readonly: true });
    const rows = JSON.stringify(db.prepare('select * from provider_credentials').all());
    db.close();
    expect(rows).toContain('deepseek');
    expect(rows).not.toContain('sk-deepseek-pasted-123456');

    expect((await call('DELETE', '/admin/v1/providers/deepseek/credential')).status).toBe(204);
    const gone = await call('GET', '/v1/models');
    expect(gone.body.data.map((m: { id: string }) => m.id)).not.toContain('deepseek-v4-flash');
    expect((await call('POST', '/admin/v1/providers/nope/credential', { api_key: 'sk-123456789' })).status).toBe(404);
  });

  it('test-calls one deployment at a time', async () => {
    const ok = await call('POST', '/admin/v1/deployments/m%230/test');
    expect(ok.body).toMatchObject({ ok: true, status: 200 });
    expect(upstream.requests.at(-1)!.body).toMatchObject({ model: 'up-m', max_tokens: 1 });
    const dead = await call('POST', '/admin/v1/deployments/m%231/test');
    expect(dead.body.ok).toBe(false);
    expect(dead.body.error.code).toMatch(/upstream/);
    expect((await call('POST', '/admin/v1/deployments/nope/test')).status).toBe(404);
  });

  it('serves usage time series with latency percentiles, scoped like usage reports', async () => {
    for (let i = 0; i < 3; i++) await gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] });
    await gw.post('/v1/chat/completions', { model: 'unpriced', messages: [{ role: 'user', content: 'x' }] });
    await gw.server.flushUsage();
    const res = await call('GET', '/admin/v1/usage/timeseries?bucket=hour&group_by=model');
    expect(res.status).toBe(200);
    // An unpriced call's cost is unknown: counted apart, not as 0 spend.
    expect(res.body.data.find((p: { model: string }) => p.model === 'unpriced')).toMatchObject({ requests: 1, unpriced_requests: 1, cost: 0 });
    const point = res.body.data.find((p: { model: string }) => p.model === 'm');
    expect(point.unpriced_requests).toBe(0);
    expect(point.cost).toBeGreaterThan(0);
    expect(point.requests).toBeGreaterThanOrEqual(3);
    expect(point.latency_p50_ms).toBeGreaterThanOrEqual(0);
    expect(point.latency_p95_ms).toBeGreaterThanOrEqual(point.latency_p50_ms);
    expect(point.ttft_p50_ms).not.toBeNull();
    expect((await call('GET', '/admin/v1/usage/timeseries?bucket=week')).status).toBe(400);
  });

  it('lets a console user call a model for their org (x-baimo-org), metered to that org; viewers and strangers cannot', async () => {
    const org = (await call('POST', '/admin/v1/orgs', { name: 'console-org' })).body;
    const user = (await call('POST', '/admin/v1/users', { email: 'dev@example.com', name: 'Dev', password: 'correct horse battery' })).body;
    expect((await call('POST', `/admin/v1/orgs/${org.id}/members`, { user_id: user.id, role: 'member' })).status).toBeLessThan(300);
    const login = await fetch(`${gw.url}/admin/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'dev@example.com', password: 'correct horse battery' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const chat = (orgId: string) =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { cookie, 'x-baimo-org': orgId, 'content-type': 'application/json', origin: gw.url },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'from the playground' }] }),
      });
    const res = await chat(org.id);
    expect(res.status).toBe(200);
    expect((await json(res)).choices[0].message.content).toBe('echo: from the playground');
    await gw.server.flushUsage();
    const usage = await call('GET', `/admin/v1/usage?org_id=${org.id}`);
    expect(usage.body.totals.requests).toBe(1);
    expect((await chat('org_someone_else')).status).toBe(404);
  });
});
