import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { adminCall, runCli } from '../support/process.js';

/**
 * `kill -9` under a mixed load of streaming and non-streaming calls (embedded mode). After a
 * restart, every request that received a complete response has exactly one usage event, no
 * request is counted twice, and the usage API's totals equal the events in the database.
 */
const MASTER = 'sk-bm-crash-master';

describe('usage survives kill -9', () => {
  let upstream: MockUpstream;
  let dir: string;

  beforeAll(async () => {
    // Slow streams, so that some are cut mid-way by the kill.
    upstream = await startMockUpstream({ echoStreamDelayMs: 15 });
    dir = mkdtempSync(join(tmpdir(), 'baimo-crash-'));
  });
  afterAll(async () => {
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every completed request has exactly one usage event after a crash and restart', async () => {
    const config = join(dir, 'baimo.yaml');
    writeFileSync(config, `
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  - { name: priced, capabilities: [chat], price: { input: 1000, output: 1000 }, deployments: [{ provider: up, model: up-priced }] }
`);
    const args = ['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data')];
    const first = runCli(args, { BAIMO_MASTER_KEY: MASTER });
    const url = await first.url();
    const org = await adminCall(url, MASTER, 'POST', '/admin/v1/orgs', { name: 'crash' });
    const key = (await adminCall(url, MASTER, 'POST', `/admin/v1/orgs/${org.id}/keys`, { name: 'load' })).key as string;

    const completed = new Set<string>();
    const started = new Set<string>();
    let stop = false;
    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const stream = (n + i) % 2 === 0;
        try {
          const res = await fetch(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'priced', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, stream, stream_options: stream ? { include_usage: true } : undefined }),
          });
          const id = res.headers.get('x-request-id')!;
          started.add(id);
          const body = await res.text();
          const complete = res.status === 200 && (stream ? body.trimEnd().endsWith('data: [DONE]') : JSON.parse(body).choices?.length === 1);
          if (complete) completed.add(id);
        } catch {
          return; // the server died under us
        }
      }
    };
    const load = Array.from({ length: 12 }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    stop = true;
    await first.exit;
    await Promise.all(load);
    expect(completed.size).toBeGreaterThan(20);

    // Restart on the same data dir: the journal is replayed before the server listens.
    const second = runCli(args, { BAIMO_MASTER_KEY: MASTER });
    const url2 = await second.url();
    const report = await adminCall(url2, MASTER, 'GET', `/admin/v1/usage?group_by=key&org_id=${org.id}`);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);

    const db = new Database(join(dir, 'data', 'baimo.db'), { readonly: true });
    const rows = db.prepare('select request_id, count(*) as n, sum(cost) as cost from usage_events where org_id = ? group by request_id').all(org.id) as { request_id: string; n: number; cost: number }[];
    const totals = db.prepare('select count(distinct request_id) as requests, sum(cost) as cost from usage_events where org_id = ?').get(org.id) as { requests: number; cost: number };
    db.close();
    const events = new Map(rows.map((r) => [r.request_id, r.n]));
    for (const id of completed) expect(events.get(id), `usage events of completed request ${id}`).toBe(1);
    for (const [id, n] of events) expect(n, `usage events of ${id}`).toBe(1);
    expect(report.totals.requests).toBe(totals.requests);
    expect(report.totals.cost).toBeCloseTo(totals.cost, 9);
    expect(totals.requests).toBeGreaterThanOrEqual(completed.size);
  }, 60_000);
});
