import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openRedis, openStore, type Redis, type Store } from '../../src/store/index.js';
import { tenancyMigrations, type Tenancy } from '../../src/tenancy/index.js';
import { postgresBackend, PG_URL, REDIS_URL, requireService } from '../support/backends.js';
import { openTenancy, rejection, type TestTenancyOptions } from '../support/tenancy.js';

/**
 * Two tenancy instances (two replicas) over one database: a revoke, rotate or org switch on one
 * is honoured by the other's warm cache within a second: by Redis notice, or by polling alone.
 */

const WITHIN_MS = 1000;

/** Polls `probe` until it rejects; resolves with how long that took (or fails after `limit`). */
async function refusedWithin(probe: () => Promise<unknown>, limit = 3000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limit) {
    try {
      await probe();
    } catch {
      return Date.now() - start;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`still admitted after ${limit} ms`);
}

interface Pair {
  a: Tenancy;
  b: Tenancy;
}

function replicaSuite(title: string, setup: () => Promise<{ stores: [Store, Store]; a: TestTenancyOptions; b: TestTenancyOptions; cleanup?: () => Promise<void> }>) {
  describe(title, () => {
    let pair: Pair | undefined;
    let done: (() => Promise<void>) | undefined;

    const open = async (): Promise<Pair> => {
      const { stores, a, b, cleanup } = await setup();
      const ta = await openTenancy(stores[0], a);
      const tb = await openTenancy(stores[1], b);
      done = async () => {
        await ta.close();
        await tb.close();
        await stores[0].close();
        if (stores[1] !== stores[0]) await stores[1].close();
        await cleanup?.();
      };
      pair = { a: ta, b: tb };
      return pair;
    };
    afterEach(async () => {
      await done?.();
      pair = undefined;
      done = undefined;
    });

    it('a revoke on replica A is refused by replica B’s warm cache within 1 s', async () => {
      const { a, b } = await open();
      const org = await a.createOrg({ name: 'acme' });
      const key = await a.createKey(org.id, { name: 'ci' });
      expect((await b.authenticateKey(key.key)).keyId).toBe(key.id);
      expect((await b.authenticateKey(key.key)).keyId).toBe(key.id);
      const lookups = b.cacheStats().lookups;
      await a.revokeKey(key.id);
      expect(await refusedWithin(() => b.authenticateKey(key.key))).toBeLessThan(WITHIN_MS);
      expect(await rejection(b.authenticateKey(key.key))).toMatchObject({ status: 401 });
      expect(b.cacheStats().lookups).toBeGreaterThan(lookups);
    });

    it('a rotation on A: the old plaintext refused on B within 1 s, the new one admitted at once', async () => {
      const { a, b } = await open();
      const org = await a.createOrg({ name: 'acme' });
      const key = await a.createKey(org.id, { name: 'ci' });
      await b.authenticateKey(key.key);
      const rotated = await a.rotateKey(key.id);
      expect((await b.authenticateKey(rotated.key)).keyId).toBe(key.id);
      expect(await refusedWithin(() => b.authenticateKey(key.key))).toBeLessThan(WITHIN_MS);
    });

    it('disabling the org on A refuses its keys on B within 1 s (403)', async () => {
      const { a, b } = await open();
      const org = await a.createOrg({ name: 'acme' });
      const key = await a.createKey(org.id, { name: 'ci' });
      await b.authenticateKey(key.key);
      await a.updateOrg(org.id, { disabled: true });
      expect(await refusedWithin(() => b.authenticateKey(key.key))).toBeLessThan(WITHIN_MS);
      expect(await rejection(b.authenticateKey(key.key))).toMatchObject({ status: 403 });
    });

    it('a budget_period change of a key or its org on A reaches B’s warm cache within 1 s', async () => {
      const { a, b } = await open();
      const org = await a.createOrg({ name: 'acme', budget: 10 });
      const key = await a.createKey(org.id, { name: 'ci', budget: 1 });
      expect((await b.authenticateKey(key.key)).limits).toEqual({ budget: 1 });
      const followed = async (check: (p: Awaited<ReturnType<Tenancy['authenticateKey']>>) => boolean) => {
        const start = Date.now();
        while (!check(await b.authenticateKey(key.key))) {
          if (Date.now() - start > 3000) throw new Error('B still serves the old principal after 3 s');
          await new Promise((r) => setTimeout(r, 10));
        }
        return Date.now() - start;
      };
      await a.updateKey(key.id, { budget_period: 'monthly' });
      expect(await followed((p) => p.limits.budgetPeriod === 'monthly')).toBeLessThan(WITHIN_MS);
      await a.updateOrg(org.id, { budget_period: 'monthly' });
      expect(await followed((p) => p.orgLimits.budgetPeriod === 'monthly')).toBeLessThan(WITHIN_MS);
    });

    it('a key created on A works on B at once', async () => {
      const { a, b } = await open();
      const org = await a.createOrg({ name: 'acme' });
      const key = await a.createKey(org.id, { name: 'ci' });
      expect((await b.authenticateKey(key.key)).orgName).toBe('acme');
    });
  });
}

const redisClients: Redis[] = [];
afterEach(async () => {
  for (const client of redisClients.splice(0)) await client.quit();
});
const redis = () => {
  const client = openRedis(REDIS_URL!);
  redisClients.push(client);
  return client;
};

/** Both replicas on one fresh PostgreSQL schema (each with its own pool, as two processes would). */
async function sharedPostgres(): Promise<[Store, Store]> {
  const first = await postgresBackend.open();
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(first.db);
  const second = await openStore({ databaseUrl: PG_URL!, pgSchema: rows[0]!.s, poolSize: 5 });
  return [first, second];
}

requireService('PostgreSQL', PG_URL, 'tenancy replicas', () => {
  requireService('Redis', REDIS_URL, 'with Redis', () => {
    // Polling slowed to a minute: only the Redis notice can meet the 1 s bound here.
    replicaSuite('PostgreSQL + Redis, Redis notices only', async () => ({
      stores: await sharedPostgres(),
      a: { redis: redis(), options: { pollIntervalMs: 60_000 } },
      b: { redis: redis(), options: { pollIntervalMs: 60_000 } },
    }));
    // A publishes nothing (no Redis): B, subscribed, never hears of it and must converge by polling.
    replicaSuite('PostgreSQL + Redis, a replica that missed the notice', async () => ({
      stores: await sharedPostgres(),
      a: {},
      b: { redis: redis() },
    }));
  });
  replicaSuite('PostgreSQL without Redis (polling every 500 ms)', async () => ({ stores: await sharedPostgres(), a: {}, b: {} }));
});

// Embedded mode can run two processes on one SQLite file (WAL): the same polling applies.
replicaSuite('SQLite file shared by two instances (polling)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baimo-tenancy-'));
  const file = join(dir, 'baimo.db');
  const first = await openStore({ sqliteFile: file });
  await migrate(first.db, first.dialect, [tenancyMigrations]);
  return { stores: [first, await openStore({ sqliteFile: file })], a: {}, b: {}, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
