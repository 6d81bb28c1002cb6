import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createUsageQueries, createUsageWriter, registerUsageRoutes, runUsageCommand, type UsageCliIo } from '../../../src/metering/index.js';
import type { Store } from '../../../src/store/index.js';
import { sqliteBackend } from '../../support/backends.js';
import { event, openMigrated, T0, tempDir } from './make-event.js';
import { authorize, testApp } from './test-app.js';

function io(over: Partial<UsageCliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: { url: string; auth: string | null }[] = [];
  const value: UsageCliIo = {
    fetch: async (input, init) => {
      requests.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      return fetch(input, init);
    },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: () => undefined,
    ...over,
  };
  return { io: value, out: () => out.join(''), err: () => err.join(''), requests };
}

describe('baimo usage', () => {
  let store: Store;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    store = await openMigrated(sqliteBackend);
    const writer = createUsageWriter({ store, journalDir: tempDir(), now: () => T0, flushIntervalMs: 0 });
    writer.record(event({ requestId: 'a', model: 'qwen3-8b' }));
    writer.record(event({ requestId: 'b', model: 'deepseek-chat', usage: undefined }));
    writer.record({ ...event({ requestId: 'c', model: 'free-model' }), cost: null });
    await writer.close();
    app = testApp((a) => registerUsageRoutes(a, { queries: createUsageQueries({ store }), authorize, now: () => T0 + 1000 }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('prints a table with totals and flags estimated and unpriced usage', async () => {
    const t = io();
    const code = await runUsageCommand(['--group-by', 'model', '--from', String(T0 / 1000)], { BAIMO_URL: url, BAIMO_MASTER_KEY: 'op' }, t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expect(t.requests[0]).toEqual({ url: `${url}/admin/v1/usage?from=${T0 / 1000}&group_by=model`, auth: 'Bearer op' });
    const lines = t.out().split('\n');
    expect(lines[2]).toMatch(/^MODEL\s+REQUESTS\s+INPUT\s+OUTPUT\s+CACHED\s+REASONING\s+COST \(USD\)$/);
    expect(t.out()).toMatch(/deepseek-chat\s+1\s+0\s+0\s+0\s+0\s+0\.00\n/);
    expect(t.out()).toMatch(/free-model\s+1\s+1000\s+500\s+0\s+0\s+-\n/);
    expect(t.out()).toMatch(/TOTAL\s+3\s+2000\s+1000\s+0\s+0\s+0\.0009\n/);
    expect(t.out()).toContain('1 request(s) have estimated token counts');
    expect(t.out()).toContain('1 request(s) used unpriced models');
  });

  it('prints the server CSV with --csv, and takes the credential from --key or the data dir', async () => {
    const t = io({ readFile: (path) => (path.endsWith('/data/master.key') ? 'user-a\n' : undefined) });
    expect(await runUsageCommand(['--csv', '--org', 'org_a', '--data', '/data', '--url', url], {}, t.io)).toBe(0);
    expect(t.requests[0]!.auth).toBe('Bearer user-a');
    expect(t.requests[0]!.url).toContain('format=csv');
    expect(t.out().split('\r\n')[0]).toBe('requests,input_tokens,output_tokens,cached_tokens,reasoning_tokens,cost,currency,estimated_requests,unpriced_requests');

    const k = io();
    expect(await runUsageCommand(['--json', '--key', 'op', '--url', url], { BAIMO_MASTER_KEY: 'ignored' }, k.io)).toBe(0);
    expect(k.requests[0]!.auth).toBe('Bearer op');
    expect(JSON.parse(k.out()).totals.requests).toBe(3);
  });

  it('reports server errors, unreachable servers, missing credentials and bad flags', async () => {
    const bad = io();
    expect(await runUsageCommand(['--group-by', 'week'], { BAIMO_URL: url, BAIMO_MASTER_KEY: 'op' }, bad.io)).toBe(1);
    expect(bad.err()).toMatch(/'group_by' accepts .* \(HTTP 400\)/);

    const down = io({ fetch: async () => Promise.reject(new Error('connect ECONNREFUSED')) });
    expect(await runUsageCommand([], { BAIMO_MASTER_KEY: 'op' }, down.io)).toBe(1);
    expect(down.err()).toMatch(/could not reach http:\/\/127\.0\.0\.1:4000/);

    const anonymous = io();
    expect(await runUsageCommand([], { BAIMO_URL: url }, anonymous.io)).toBe(1);
    expect(anonymous.err()).toMatch(/no admin credential/);

    const flags = io();
    expect(await runUsageCommand(['--bogus'], {}, flags.io)).toBe(2);
    expect(flags.err()).toMatch(/Usage: baimo usage/);

    const help = io();
    expect(await runUsageCommand(['--help'], {}, help.io)).toBe(0);
    expect(help.out()).toMatch(/--group-by/);
  });
});
