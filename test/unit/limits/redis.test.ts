import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createRedisLimiter, type Admission } from '../../../src/limits/index.js';
import { requireService, REDIS_URL } from '../../support/backends.js';
import { limiterContract } from './limiter.contract.js';

const RUN = `baimo-test:limits:${randomBytes(4).toString('hex')}`;

requireService('Redis', REDIS_URL, 'redis limiter', () => {
  // Two connections, so the replica case runs two limiters that share nothing but the server.
  let connections: Redis[] = [];
  let spaces = 0;

  beforeAll(() => {
    connections = [new Redis(REDIS_URL!), new Redis(REDIS_URL!)];
  });

  afterAll(async () => {
    const [redis] = connections;
    const keys = await redis!.keys(`${RUN}:*`);
    if (keys.length > 0) await redis!.del(...keys);
    await Promise.all(connections.map((c) => c.quit()));
  });

  limiterContract({
    name: 'redis',
    space: () => {
      const prefix = `${RUN}:${++spaces}:`;
      let made = 0;
      // The fake clock goes into the scripts' arguments, so windows are tested without sleeping.
      return { limiter: (opts) => createRedisLimiter({ ...opts, redis: connections[made++ % 2]!, prefix }) };
    },
  });

  it('uses the Redis server clock when none is injected', async () => {
    const limiter = createRedisLimiter({ redis: connections[0]!, prefix: `${RUN}:time:` });
    const scopes = [{ id: 'key:k1', rpm: 2 }];
    await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0 });
    await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0 });
    const err = await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0 }).catch((e) => e);
    expect(err.code).toBe('rate_limit_exceeded');
    // 30 s per request at 2 RPM, less the few ms that passed on the server between the calls.
    expect(err.retryAfter).toBeGreaterThan(29);
    expect(err.retryAfter).toBeLessThanOrEqual(30);
  });

  it('idle scopes expire; budgets stored as integer micro-units', async () => {
    const redis = connections[0]!;
    const prefix = `${RUN}:ttl:`;
    const limiter = createRedisLimiter({ redis, prefix, idleTtlMs: 120_000, leaseMs: 60_000, loadSpent: async () => 0.1 });
    const expectTtl = async (key: string) => {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(110_000);
      expect(ttl).toBeLessThanOrEqual(120_000);
    };
    const a = await limiter.admit({ scopes: [{ id: 'org:o1', rpm: 10, maxConcurrency: 2, budget: 5 }], estimatedTokens: 1, estimatedCost: 0.2 });
    await expectTtl(`${prefix}l:org:o1`);
    await a.settle({ tokens: 1, cost: 0.1 });
    await expectTtl(`${prefix}s:org:o1`);
    expect(await redis.exists(`${prefix}l:org:o1`)).toBe(0);
    expect(await redis.hget(`${prefix}s:org:o1`, 'spent')).toBe('200000');
    expect(await redis.hget(`${prefix}s:org:o1`, 'reserved')).toBe('0');
  });

  it('a month\'s scope expires like any idle scope once its month is over; its refusal counts down on the server clock', async () => {
    const redis = connections[0]!;
    const prefix = `${RUN}:month:`;
    const limiter = createRedisLimiter({ redis, prefix, idleTtlMs: 120_000, leaseMs: 60_000, loadSpent: async () => 0 });
    // No clock injected: the script's TIME decides, and retry-after is measured from it.
    const resetsAt = Date.now() + 3_600_000;
    const scopes = [{ id: 'key:k1@2026-11', budget: 0.5, budgetResetsAt: resetsAt }];
    await (await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0.5 })).settle({ tokens: 0, cost: 0.5 });
    const err = await limiter.admit({ scopes, estimatedTokens: 0, estimatedCost: 0 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'budget_exceeded', retryable: false });
    expect(err.retryAfter).toBeGreaterThan(3590);
    expect(err.retryAfter).toBeLessThanOrEqual(3600);
    // Nothing touches November's keys after November, so they go one idle TTL after their last use.
    for (const key of [`${prefix}s:key:k1@2026-11`, `${prefix}l:key:k1@2026-11`]) {
      const ttl = await redis.pttl(key);
      if (ttl === -2) continue; // no lease left: the set is already gone
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(120_000);
    }
    expect(await redis.pttl(`${prefix}s:key:k1@2026-11`)).toBeGreaterThan(0);
  });

  it('reloads its scripts after the server forgets them', async () => {
    const limiter = createRedisLimiter({ redis: connections[1]!, prefix: `${RUN}:flush:` });
    await limiter.admit({ scopes: [{ id: 'key:k1', rpm: 5 }], estimatedTokens: 0, estimatedCost: 0 });
    await connections[1]!.script('FLUSH');
    const again = await limiter.admit({ scopes: [{ id: 'key:k1', rpm: 5 }], estimatedTokens: 0, estimatedCost: 0 });
    expect(again.headers['x-ratelimit-remaining-requests']).toBe('3');
  });

  it('sends the admissions and the settlements of one turn as one script call each, answering each as if alone', async () => {
    const redis = new Redis(REDIS_URL!);
    try {
      const prefix = `${RUN}:batch:`;
      const limiter = createRedisLimiter({ redis, prefix, loadSpent: async () => 0.25 });
      const evalsha = vi.spyOn(redis, 'evalsha');
      // One turn: two on a 1-RPM key (the second refused), one whose budget spend Redis does not
      // know yet (loaded, seeded, then admitted on a second call), and three plain ones.
      const calls = [
        limiter.admit({ scopes: [{ id: 'key:one-rpm', rpm: 1 }], estimatedTokens: 0, estimatedCost: 0 }),
        limiter.admit({ scopes: [{ id: 'key:one-rpm', rpm: 1 }], estimatedTokens: 0, estimatedCost: 0 }),
        limiter.admit({ scopes: [{ id: 'org:budget', budget: 1 }], estimatedTokens: 0, estimatedCost: 0.5 }),
        ...[1, 2, 3].map((i) => limiter.admit({ scopes: [{ id: `key:plain${i}`, rpm: 10 }, { id: 'org:shared', maxConcurrency: 5 }], estimatedTokens: 10, estimatedCost: 0 })),
      ];
      const results = await Promise.allSettled(calls);
      // The first call carried all six; the second, the budget one after its spend was seeded.
      expect(evalsha).toHaveBeenCalledTimes(2);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'rate_limit_exceeded' });
      const admitted = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<Admission>).value);
      // The three plain ones took the shared org's slots in order: 5, then 4, 3, 2 left.
      expect(admitted.slice(2).map((a) => a.headers['x-ratelimit-remaining-requests'])).toEqual(['9', '9', '9']);
      expect(await limiter.inspect('org:shared')).toMatchObject({ inFlight: 3 });
      expect(await limiter.spent('org:budget')).toBeCloseTo(0.25);
      evalsha.mockClear();
      await Promise.all(admitted.map((a) => a.settle({ tokens: 5, cost: 0.1 })));
      expect(evalsha).toHaveBeenCalledTimes(1);
      expect(await limiter.inspect('org:shared')).toMatchObject({ inFlight: 0 });
      expect(await limiter.spent('org:budget')).toBeCloseTo(0.35);
    } finally {
      redis.disconnect();
    }
  });

  it('an error in one request\'s step fails that request only', async () => {
    const redis = connections[0]!;
    const prefix = `${RUN}:wrongtype:`;
    await redis.set(`${prefix}s:key:broken`, 'not a hash');
    const limiter = createRedisLimiter({ redis, prefix });
    const [broken, fine] = await Promise.allSettled([
      limiter.admit({ scopes: [{ id: 'key:broken', rpm: 5 }], estimatedTokens: 0, estimatedCost: 0 }),
      limiter.admit({ scopes: [{ id: 'key:fine', rpm: 5 }], estimatedTokens: 0, estimatedCost: 0 }),
    ]);
    expect(broken.status).toBe('rejected');
    expect(String((broken as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    expect(fine.status).toBe('fulfilled');
    expect(await limiter.inspect('key:fine')).toMatchObject({ inFlight: 1 });
  });
});
