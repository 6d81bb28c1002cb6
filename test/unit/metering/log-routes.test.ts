import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestLogQueries, createRequestLogWriter, registerRequestLogRoutes, type RequestLogEntry } from '../../../src/metering/index.js';
import type { Store } from '../../../src/store/index.js';
import { sqliteBackend } from '../../support/backends.js';
import { openMigrated, T0, tempDir } from './make-event.js';
import { authorize, testApp } from './test-app.js';

const base: Omit<RequestLogEntry, 'requestId' | 'orgId'> = { ts: T0, endpoint: 'chat', model: 'qwen3-8b', status: 200, latencyMs: 10, stream: false };

describe('request log routes', () => {
  let store: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await openMigrated(sqliteBackend);
    const writer = createRequestLogWriter({ store, journalDir: tempDir(), now: () => T0, flushIntervalMs: 0 });
    for (let i = 0; i < 5; i++) writer.record({ ...base, requestId: `a${i}`, orgId: 'org_a', keyId: 'key_a1', ts: T0 + i }, { logBodies: true, requestBody: { n: i } });
    writer.record({ ...base, requestId: 'b0', orgId: 'org_b', keyId: 'key_b1', status: 500 }, { logBodies: true, requestBody: { secret: 'x' } });
    await writer.close();
    app = testApp((a) => registerRequestLogRoutes(a, { logs: createRequestLogQueries({ store }), authorize }));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const get = (url: string, token = 'op') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const ids = async (url: string, token = 'op') => (await get(url, token)).json().data.map((d: { id: string }) => d.id);

  it('pages newest first through next_cursor', async () => {
    const first = (await get('/admin/v1/logs?limit=4')).json();
    expect(first).toMatchObject({ object: 'list', has_more: true });
    expect(first.data.map((d: { id: string }) => d.id)).toEqual(['a4', 'a3', 'a2', 'a1']);
    expect(await ids(`/admin/v1/logs?limit=4&cursor=${first.next_cursor}`)).toEqual(['b0', 'a0']); // same ts: by id, descending
  });

  it('filters by org, key, model, status class and time', async () => {
    expect(await ids('/admin/v1/logs?status=5xx')).toEqual(['b0']);
    expect(await ids('/admin/v1/logs?org_id=org_a&key_id=key_a1&model=qwen3-8b&status=200&from=' + (T0 + 3) / 1000)).toEqual(['a4', 'a3']);
  });

  it('shows a console user only their orgs; another org is 404 by filter and by id', async () => {
    expect(await ids('/admin/v1/logs', 'user-a')).toEqual(['a4', 'a3', 'a2', 'a1', 'a0']);
    expect((await get('/admin/v1/logs?org_id=org_b', 'user-a')).statusCode).toBe(404);
    expect((await get('/admin/v1/logs/b0', 'user-a')).statusCode).toBe(404);
    expect((await get('/admin/v1/logs/a1', 'user-a')).json()).toMatchObject({ id: 'a1', request_body: '{"n":1}' });
    expect((await get('/admin/v1/logs/b0', 'user-ab')).json()).toMatchObject({ id: 'b0', request_body: '{"secret":"[REDACTED]"}' });
    expect(await ids('/admin/v1/logs', 'user-none')).toEqual([]);
  });

  it('refuses tenant keys and answers 404 for a missing log', async () => {
    expect((await get('/admin/v1/logs', 'key-a')).statusCode).toBe(403);
    expect((await get('/admin/v1/logs/a1', 'key-a')).statusCode).toBe(403);
    const missing = await get('/admin/v1/logs/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it('answers 400 naming the parameter', async () => {
    for (const [url, param] of [
      ['/admin/v1/logs?limit=0', 'limit'],
      ['/admin/v1/logs?limit=501', 'limit'],
      ['/admin/v1/logs?limit=ten', 'limit'],
      ['/admin/v1/logs?status=ok', 'status'],
      ['/admin/v1/logs?cursor=garbage', 'cursor'],
      ['/admin/v1/logs?from=soon', 'from'],
      ['/admin/v1/logs?org=org_a', 'org'],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.param, url).toBe(param);
    }
  });
});
