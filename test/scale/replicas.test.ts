import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../integration/mock-upstream/server.js';
import { PG_URL, REDIS_URL, requireService } from '../support/backends.js';
import { adminCall, runCli, type ServerProcess } from '../support/process.js';

/**
 * Scale-out mode for real: two `baimo serve` processes sharing one PostgreSQL database and one
 * Redis, behind no load balancer (the test alternates between them). Budgets must hold across
 * both, and a key revoked on one replica must be refused by the other within a second.
 */
const MASTER = 'sk-bm-scale-master';
const PRICE_PER_CALL = 0.012; // 12 echo tokens at 1000 per 1M

requireService('PostgreSQL', PG_URL, 'two replicas on PostgreSQL + Redis', () => {
  requireService('Redis', REDIS_URL, 'with Redis', () => {
    let upstream: MockUpstream;
    let dir: string;
    let dbUrl: string;
    const replicas: ServerProcess[] = [];
    const urls: string[] = [];
    const dbName = `baimo_scale_${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      upstream = await startMockUpstream();
      dir = mkdtempSync(join(tmpdir(), 'baimo-scale-'));
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      await admin.end();
      dbUrl = PG_URL!.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
      // A Redis database of its own (index 7), emptied first.
      const redisUrl = `${REDIS_URL!.replace(/\/\d*$/, '')}/7`;
      const redis = new Redis(redisUrl);
      await redis.flushdb();
      redis.disconnect();
      const config = join(dir, 'baimo.yaml');
      writeFileSync(config, `
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  - { name: priced, capabilities: [chat], price: { input: 1000, output: 1000 }, deployments: [{ provider: up, model: up-priced }] }
`);
      for (const name of ['a', 'b']) {
        const proc = runCli(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', join(dir, name)], {
          BAIMO_MASTER_KEY: MASTER,
          BAIMO_DATABASE_URL: dbUrl,
          BAIMO_REDIS_URL: redisUrl,
        });
        replicas.push(proc);
        // Start one after the other: both run migrations at start, the second finds them applied.
        urls.push(await proc.url());
      }
    }, 90_000);

    afterAll(async () => {
      for (const r of replicas) r.child.kill('SIGTERM');
      await Promise.all(replicas.map((r) => r.exit));
      await upstream?.close();
      rmSync(dir, { recursive: true, force: true });
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName}`);
      await admin.end();
    });

    const chat = (url: string, key: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'priced', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }),
      });

    it('200 parallel requests across both replicas on a tight budget overspend by at most one request', async () => {
      const org = await adminCall(urls[0]!, MASTER, 'POST', '/admin/v1/orgs', { name: 'scale-budget' });
      const budget = 0.3;
      const key = await adminCall(urls[0]!, MASTER, 'POST', `/admin/v1/orgs/${org.id}/keys`, { name: 'tight', budget });
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => chat(urls[i % 2]!, key.key).then(async (r) => ({ status: r.status, body: await r.json() as any }))));
      const ok = results.filter((r) => r.status === 200).length;
      const refused = results.filter((r) => r.status === 429);
      expect(ok + refused.length).toBe(200);
      expect(refused.every((r) => r.body.error.code === 'budget_exceeded')).toBe(true);
      expect(ok).toBeGreaterThan(0);
      // Usage is written in batches; wait until both replicas' events are in the database.
      let report: any;
      for (let i = 0; i < 50; i++) {
        report = await adminCall(urls[1]!, MASTER, 'GET', `/admin/v1/usage?group_by=key&org_id=${org.id}`);
        if (report.totals.requests === ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(report.totals.requests).toBe(ok);
      expect(report.totals.cost).toBeCloseTo(ok * PRICE_PER_CALL, 6);
      expect(report.totals.cost).toBeLessThanOrEqual(budget + PRICE_PER_CALL + 1e-9);
    });

    it('RPM limits hold across replicas (atomic in Redis)', async () => {
      const org = await adminCall(urls[0]!, MASTER, 'POST', '/admin/v1/orgs', { name: 'scale-rpm' });
      const key = await adminCall(urls[0]!, MASTER, 'POST', `/admin/v1/orgs/${org.id}/keys`, { name: 'rpm', rpm: 10 });
      const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => chat(urls[i % 2]!, key.key).then((r) => r.status)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    });

    it('a key revoked on one replica is refused by the other within 1 s', async () => {
      const org = await adminCall(urls[0]!, MASTER, 'POST', '/admin/v1/orgs', { name: 'scale-revoke' });
      const key = await adminCall(urls[0]!, MASTER, 'POST', `/admin/v1/orgs/${org.id}/keys`, { name: 'doomed' });
      // Warm both replicas' key caches.
      expect((await chat(urls[0]!, key.key)).status).toBe(200);
      expect((await chat(urls[1]!, key.key)).status).toBe(200);
      const revokedAt = Date.now();
      await adminCall(urls[0]!, MASTER, 'DELETE', `/admin/v1/keys/${key.id}`);
      let elapsed = Infinity;
      while (Date.now() - revokedAt < 3000) {
        const [a, b] = await Promise.all([chat(urls[0]!, key.key), chat(urls[1]!, key.key)]);
        if (a.status === 401 && b.status === 401) {
          elapsed = Date.now() - revokedAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(elapsed).toBeLessThan(1000);
    });

    it('a vendor key pasted on one replica publishes its models on the other (and deleting it withdraws them)', async () => {
      const modelsOf = async (url: string) => ((await adminCall(url, MASTER, 'GET', '/v1/models')).data as { id: string }[]).map((m) => m.id);
      const within = async (what: string, probe: () => Promise<boolean>, limitMs = 6000) => {
        const start = Date.now();
        while (Date.now() - start < limitMs) {
          if (await probe()) return Date.now() - start;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`${what} did not happen within ${limitMs} ms`);
      };
      expect(await modelsOf(urls[1]!)).not.toContain('deepseek-v4-flash');
      await adminCall(urls[0]!, MASTER, 'POST', '/admin/v1/providers/deepseek/credential', { api_key: 'sk-deepseek-pasted-on-a-123456' });
      expect(await modelsOf(urls[0]!)).toContain('deepseek-v4-flash'); // the writer reloads at once
      // The other replica polls every 2 s.
      expect(await within('publish on replica B', async () => (await modelsOf(urls[1]!)).includes('deepseek-v4-flash'))).toBeLessThan(4000);
      await adminCall(urls[0]!, MASTER, 'DELETE', '/admin/v1/providers/deepseek/credential');
      expect(await within('withdraw on replica B', async () => !(await modelsOf(urls[1]!)).includes('deepseek-v4-flash'))).toBeLessThan(4000);
    });
  });
});
