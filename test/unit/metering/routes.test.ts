import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsageQueries, createUsageWriter, registerUsageRoutes } from '../../../src/metering/index.js';
import type { Store } from '../../../src/store/index.js';
import { sqliteBackend } from '../../support/backends.js';
import { event, openMigrated, T0, tempDir } from './make-event.js';
import { authorize, testApp } from './test-app.js';

describe('usage routes', () => {
  let store: Store;
  let app: FastifyInstance;
  const NOW = T0 + 86_400_000;

  beforeAll(async () => {
    store = await openMigrated(sqliteBackend);
    const writer = createUsageWriter({ store, journalDir: tempDir(), now: () => NOW, flushIntervalMs: 0 });
    writer.record(event({ requestId: 'a1', tenant: { orgId: 'org_a', keyId: 'key_a1' } }));
    writer.record(event({ requestId: 'a2', tenant: { orgId: 'org_a', keyId: 'key_a2' }, model: 'deepseek-chat' }));
    writer.record(event({ requestId: 'b1', tenant: { orgId: 'org_b', keyId: 'key_b1' }, startedAt: T0 + 3_600_000 }));
    writer.record(event({ requestId: 'op1', tenant: undefined }));
    await writer.close();
    app = testApp((a) => registerUsageRoutes(a, { queries: createUsageQueries({ store }), authorize, now: () => NOW }));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const get = (url: string, token = 'op') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const orgsOf = async (url: string, token: string) => (await get(url, token)).json().data.map((d: { org_id: string | null }) => d.org_id);

  it('answers the DESIGN.md §2a shape for an operator, all orgs, with the effective range', async () => {
    const res = await get('/admin/v1/usage?group_by=org');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ object: 'usage_report', group_by: ['org'], currency: 'USD', to: new Date(NOW).toISOString(), from: new Date(NOW - 30 * 86_400_000).toISOString() });
    expect(body.data.map((d: { org_id: string | null; requests: number }) => [d.org_id, d.requests])).toEqual([
      [null, 1],
      ['org_a', 2],
      ['org_b', 1],
    ]);
    expect(body.data[1]).toEqual(expect.objectContaining({ requests: 2, input_tokens: 2000, output_tokens: 500 * 2, cost: 0.0018 }));
    expect(body.totals).toMatchObject({ requests: 4, input_tokens: 4000, output_tokens: 2000, cost: 0.0036 });
  });

  it('lets an operator filter by org and key', async () => {
    expect((await get('/admin/v1/usage?org_id=org_b')).json().totals.requests).toBe(1);
    expect((await get('/admin/v1/usage?key_id=key_a2&group_by=model')).json().data).toEqual([expect.objectContaining({ model: 'deepseek-chat', requests: 1 })]);
  });

  it('shows a console user only their orgs, and 404s a foreign org_id', async () => {
    expect(await orgsOf('/admin/v1/usage?group_by=org', 'user-a')).toEqual(['org_a']);
    expect(await orgsOf('/admin/v1/usage?group_by=org', 'user-ab')).toEqual(['org_a', 'org_b']);
    expect((await get('/admin/v1/usage?group_by=org', 'user-none')).json()).toMatchObject({ data: [], totals: { requests: 0 } });
    const foreign = await get('/admin/v1/usage?org_id=org_b', 'user-a');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error).toMatchObject({ code: 'not_found', param: 'org_id' });
  });

  it('shows a tenant key its own org at /v1/usage, never another', async () => {
    expect(await orgsOf('/v1/usage?group_by=org', 'key-a')).toEqual(['org_a']);
    expect(await orgsOf('/v1/usage?group_by=org,key', 'key-b')).toEqual(['org_b']);
    expect((await get('/v1/usage?org_id=org_b', 'key-a')).statusCode).toBe(404);
    expect((await get('/v1/usage?org_id=org_a', 'key-a')).json().totals.requests).toBe(2);
    // Another org's key id inside one's own scope matches nothing.
    expect((await get('/v1/usage?key_id=key_b1', 'key-a')).json().totals.requests).toBe(0);
  });

  it('refuses tenant keys on the admin API and unauthenticated callers everywhere', async () => {
    const res = await get('/admin/v1/usage', 'key-a');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('permission_denied');
    expect((await get('/v1/usage', 'nobody')).statusCode).toBe(401);
  });

  it('accepts unix seconds and ISO 8601 for from/to, and multiple group_by forms', async () => {
    const hour = (await get(`/admin/v1/usage?from=${T0 / 1000}&to=${(T0 + 3_600_000) / 1000}&group_by=hour`)).json();
    expect(hour.data).toEqual([expect.objectContaining({ hour: '2026-11-25T10:00:00Z', requests: 3 })]);
    const iso = (await get('/admin/v1/usage?from=2026-11-25T11:00:00Z&to=2026-11-26')).json();
    expect(iso.totals.requests).toBe(1);
    const offset = (await get('/admin/v1/usage?from=2026-11-25T19:00:00%2B08:00&to=2026-11-25T12:00:00')).json();
    expect(offset.totals.requests).toBe(1); // 19:00+08:00 is 11:00Z; a bare time is UTC
    const repeated = (await get('/admin/v1/usage?group_by=day&group_by=model')).json();
    expect(repeated.group_by).toEqual(['day', 'model']);
  });

  it('answers 400 naming the parameter for bad input, never silently', async () => {
    const cases: [string, string][] = [
      ['/admin/v1/usage?group_by=week', 'group_by'],
      ['/admin/v1/usage?group_by=day,day', 'group_by'],
      ['/admin/v1/usage?from=yesterday', 'from'],
      ['/admin/v1/usage?to=1764028800000', 'to'],
      ['/admin/v1/usage?from=2026-11-26&to=2026-11-25', 'from'],
      ['/admin/v1/usage?format=xlsx', 'format'],
      ['/admin/v1/usage?groupby=day', 'groupby'],
    ];
    for (const [url, param] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error, url).toMatchObject({ type: 'invalid_request_error', param });
    }
  });

  it('exports CSV with a header row', async () => {
    const res = await get('/admin/v1/usage?group_by=org&format=csv', 'user-a');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.split('\r\n')).toEqual([
      'org_id,requests,input_tokens,output_tokens,cached_tokens,reasoning_tokens,cost,currency,estimated_requests,unpriced_requests',
      'org_a,2,2000,1000,0,0,0.0018,USD,0,0',
      '',
    ]);
  });
});
