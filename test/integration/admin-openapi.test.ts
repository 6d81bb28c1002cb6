import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_URL, requireService } from '../support/backends.js';
import { OTHER_ADMIN_ROUTE_DOCS } from '../../src/server/admin-route-docs.js';
import { TENANCY_ROUTES, type RouteDoc } from '../../src/tenancy/index.js';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/gateway.js';
import { closed, createValidator, registeredRoutes } from '../support/openapi.js';

/**
 * `GET /admin/v1/openapi.json` against the server that serves it: every admin route Fastify
 * registered is documented, and every documented GET, called with real data (usage, logs, a
 * knowledge base), answers what its schema says — with no field the document does not name.
 */

type Operation = { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Doc = { info: { description: string }; paths: Record<string, Record<string, Operation>> };

const ALL_DOCS: readonly RouteDoc[] = [...TENANCY_ROUTES, ...OTHER_ADMIN_ROUTE_DOCS];

// On PostgreSQL too: its drivers answer counts and bigints in other types than SQLite's.
describe('admin OpenAPI document on a real server [sqlite]', () => suite('sqlite'));
requireService('PostgreSQL', PG_URL, 'admin OpenAPI document on a real server [postgres]', () => suite('postgres'));

function suite(mode: 'sqlite' | 'postgres') {
  let upstream: MockUpstream;
  let gw: TestGateway;
  let doc: Doc;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  const ids = { org: '', key: '', keyId: '', user: '', cookie: '', log: '' };

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${MASTER_KEY}` }) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined };
  };
  const asKey = () => ({ authorization: `Bearer ${ids.key}` });

  beforeAll(async () => {
    upstream = await startMockUpstream();
    const env: Record<string, string> = {};
    if (mode === 'postgres') {
      database = await createTestDatabase('openapi');
      env.BAIMO_DATABASE_URL = database.url;
    }
    gw = await startTestGateway(`
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  - { name: chat, capabilities: [chat], price: { input: 1, output: 2 }, deployments: [{ provider: up, model: up-chat }] }
  - { name: emb, capabilities: [embeddings], deployments: [{ provider: up, model: up-emb }] }
`, env);
    const org = (await call('POST', '/admin/v1/orgs', { name: 'acme' })).body;
    ids.org = org.id;
    const key = (await call('POST', `/admin/v1/orgs/${org.id}/keys`, { name: 'ci' })).body;
    ids.key = key.key;
    ids.keyId = key.id;
    ids.user = (await call('POST', '/admin/v1/users', { email: 'ada@example.com', name: 'Ada', password: 'correct horse' })).body.id;
    await call('POST', `/admin/v1/orgs/${org.id}/members`, { user_id: ids.user, role: 'admin' });
    const login = await fetch(`${gw.url}/admin/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }),
    });
    ids.cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    // Usage and logs with successes, a stream, a refused call and an unpriced model.
    await call('POST', '/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'hi' }] }, asKey());
    await call('POST', '/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true }, asKey());
    upstream.enqueue('/chat/completions', { kind: 'json', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error', code: 'bad' } } });
    await call('POST', '/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'hi' }] }, asKey());
    expect((await call('POST', '/v1/embeddings', { model: 'emb', input: 'hello' }, asKey())).status).toBe(200);
    expect((await call('POST', '/v1/knowledge_bases', { name: 'docs', embedding_model: 'emb', org_id: org.id })).status).toBe(201);
    await gw.server.flushUsage();
    // A stored budget alert (a key and an org crossing), as the call guard reports them.
    await gw.server.platform.alerts.record({ orgId: org.id, keyId: key.id }, { scopeId: `key:${key.id}`, threshold: 0.5, spent: 1, budget: 2 });
    await gw.server.platform.alerts.record({ orgId: org.id }, { scopeId: `org:${org.id}@2026-11`, threshold: 0.8, spent: 8, budget: 10 });
    ids.log = (await call('GET', '/admin/v1/logs')).body.data[0].id;
    doc = (await call('GET', '/admin/v1/openapi.json', undefined, {})).body;
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await database?.drop();
  });

  it('documents every /admin/v1 route Fastify registered, and no route it did not', () => {
    const registered = registeredRoutes(gw.server.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /admin/v1/') && !r.endsWith('/openapi.json'));
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/admin/v1/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(registered.length).toBeGreaterThanOrEqual(30);
    expect(documented).toEqual(registered);
    // The tenant-facing usage report shares the admin one's schema and is documented with it.
    expect(registeredRoutes(gw.server.app.printRoutes({ commonPrefix: false }))).toContain('GET /v1/usage');
    expect(doc.paths['/v1/usage']?.get).toBeDefined();
    expect(doc.info.description).not.toMatch(/only/i);
    const operationIds = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('every documented GET answers JSON that its documented schema, and its zod schema, accept', async () => {
    const asUser = { cookie: ids.cookie };
    const cases: Record<string, { url: string; headers?: Record<string, string> }[]> = {
      '/admin/v1/orgs': [{ url: '/admin/v1/orgs' }, { url: '/admin/v1/orgs', headers: asUser }],
      '/admin/v1/orgs/{org_id}': [{ url: `/admin/v1/orgs/${ids.org}` }],
      '/admin/v1/orgs/{org_id}/keys': [{ url: `/admin/v1/orgs/${ids.org}/keys` }],
      '/admin/v1/orgs/{org_id}/members': [{ url: `/admin/v1/orgs/${ids.org}/members` }],
      '/admin/v1/keys/{key_id}': [{ url: `/admin/v1/keys/${ids.keyId}` }],
      '/admin/v1/users': [{ url: '/admin/v1/users' }],
      '/admin/v1/auth/me': [{ url: '/admin/v1/auth/me' }, { url: '/admin/v1/auth/me', headers: asUser }, { url: '/admin/v1/auth/me', headers: asKey() }],
      '/admin/v1/usage': [
        { url: '/admin/v1/usage' },
        { url: '/admin/v1/usage?group_by=key,model,org,deployment,provider,day,hour' },
        { url: `/admin/v1/usage?group_by=model&org_id=${ids.org}`, headers: asUser },
      ],
      '/v1/usage': [{ url: '/v1/usage?group_by=day,model', headers: asKey() }],
      '/admin/v1/usage/timeseries': [{ url: '/admin/v1/usage/timeseries' }, { url: '/admin/v1/usage/timeseries?group_by=model' }, { url: '/admin/v1/usage/timeseries?bucket=day&group_by=org' }],
      '/admin/v1/logs': [{ url: '/admin/v1/logs' }, { url: '/admin/v1/logs?limit=1' }, { url: '/admin/v1/logs?status=4xx' }],
      '/admin/v1/logs/{id}': [{ url: `/admin/v1/logs/${ids.log}` }],
      '/admin/v1/catalog': [{ url: '/admin/v1/catalog' }],
      '/admin/v1/deployments/health': [{ url: '/admin/v1/deployments/health' }],
      '/admin/v1/alerts': [{ url: '/admin/v1/alerts' }, { url: '/admin/v1/alerts?limit=1' }, { url: `/admin/v1/alerts?org_id=${ids.org}`, headers: asUser }],
      '/v1/alerts': [{ url: '/v1/alerts', headers: asKey() }],
      '/admin/v1/knowledge_bases': [{ url: '/admin/v1/knowledge_bases' }, { url: `/admin/v1/knowledge_bases?org_id=${ids.org}`, headers: asUser }],
    };
    const documentedGets = Object.entries(doc.paths)
      .filter(([path, ops]) => ops.get && path !== '/admin/v1/openapi.json')
      .map(([path]) => path)
      .sort();
    expect(Object.keys(cases).sort(), 'a documented GET route without a case here').toEqual(documentedGets);

    const validate = createValidator();
    for (const [path, list] of Object.entries(cases)) {
      const schema = doc.paths[path]!.get!.responses['200']!.content!['application/json']!.schema;
      const zodSchema = ALL_DOCS.find((r) => r.method === 'GET' && r.path === path)!.response!;
      for (const c of list) {
        const res = await call('GET', c.url, undefined, c.headers);
        expect(res.status, `${c.url}: ${res.text}`).toBe(200);
        expect(res.type).toContain('application/json');
        expect(validate(closed(schema), res.body), c.url).toEqual([]);
        expect(() => zodSchema.parse(res.body), c.url).not.toThrow();
      }
    }
    // The check has teeth: an undocumented field in a row, or a missing one, fails it.
    const usageSchema = closed(doc.paths['/admin/v1/usage']!.get!.responses['200']!.content!['application/json']!.schema);
    const report = (await call('GET', '/admin/v1/usage?group_by=model')).body;
    expect(validate(usageSchema, { ...report, data: [{ ...report.data[0], surprise: 1 }] })).not.toEqual([]);
    const { requests: _dropped, ...totals } = report.totals;
    expect(validate(usageSchema, { ...report, totals })).not.toEqual([]);
  });

  it('the answers it checks are not empty: usage rows, log pages, series points and knowledge bases', async () => {
    const usage = (await call('GET', '/admin/v1/usage?group_by=key,model,org,deployment,provider,day,hour')).body;
    expect(usage.data.length).toBeGreaterThanOrEqual(2);
    expect(usage.totals.requests).toBe(4);
    expect(usage.data[0]).toMatchObject({ day: expect.any(String), hour: expect.any(String), model: expect.any(String) });
    const page = (await call('GET', '/admin/v1/logs?limit=1')).body;
    expect(page).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const failed = (await call('GET', '/admin/v1/logs?status=4xx')).body.data;
    expect(failed[0]).toMatchObject({ status: 400, error_code: expect.any(String) });
    expect((await call('GET', '/admin/v1/usage/timeseries?group_by=model')).body.data.length).toBeGreaterThanOrEqual(2);
    expect((await call('GET', '/admin/v1/knowledge_bases')).body.data).toHaveLength(1);
    const alerts = (await call('GET', '/v1/alerts', undefined, asKey())).body.data;
    expect(alerts.map((a: { key_id: string | null; period: string | null }) => [a.key_id, a.period])).toEqual([[null, '2026-11'], [ids.keyId, null]]);
  });

  it('serves the documented CSV form of the usage report', async () => {
    const content = doc.paths['/admin/v1/usage']!.get!.responses['200']!.content!;
    expect(Object.keys(content)).toEqual(['application/json', 'text/csv']);
    expect(doc.paths['/admin/v1/usage']!.get!.parameters.map((p) => p.name)).toContain('format');
    const csv = await call('GET', '/admin/v1/usage?group_by=day&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toMatch(/^day,requests,input_tokens,output_tokens,/);
  });

  it("a deployment test call answers what its schema says, and a vendor key's routes answer 204 with no body", async () => {
    const validate = createValidator();
    const testRoute = doc.paths['/admin/v1/deployments/{id}/test']!.post!;
    const res = await call('POST', `/admin/v1/deployments/${encodeURIComponent('chat#0')}/test`);
    expect(res.body).toMatchObject({ ok: true });
    expect(validate(closed(testRoute.responses['200']!.content!['application/json']!.schema), res.body)).toEqual([]);
    const credential = doc.paths['/admin/v1/providers/{vendor}/credential']!;
    expect(credential.post!.responses['204']!.content).toBeUndefined();
    expect((await call('POST', '/admin/v1/providers/deepseek/credential', { api_key: 'sk-deepseek-123456789' })).status).toBe(204);
    expect((await call('DELETE', '/admin/v1/providers/deepseek/credential')).status).toBe(204);
  });
}
