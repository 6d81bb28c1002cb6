import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DEFAULT_REDIS_DB, type BenchStore } from './modes.js';

/**
 * Baimo's state for BENCH_STORE=postgres: a fresh PostgreSQL database (`baimo_bench_<random>`,
 * dropped afterwards) and a Redis database index that is flushed before and after, so a run
 * starts from nothing and leaves nothing behind. The servers come from BENCH_DATABASE_URL and
 * BENCH_REDIS_URL, else from BAIMO_TEST_DATABASE_URL / BAIMO_TEST_REDIS_URL, which
 * `eval "$(bash .ci/services.sh start)"` exports.
 */

export interface BackingStore {
  store: BenchStore;
  /** Given to bench/baimo-server.ts, which maps them to BAIMO_DATABASE_URL / BAIMO_REDIS_URL. */
  env: Record<string, string>;
  /** For the header and the JSON results (no credentials). */
  description: { store: BenchStore; database?: string; redis?: string };
  /**
   * Processes of the services that work for Baimo right now (PostgreSQL backends of the bench
   * database and background processes, the Redis server), for CPU accounting; [] when embedded.
   */
  servicePids(): Promise<number[]>;
  /** Drop the database and flush the Redis index; call after Baimo has stopped. */
  cleanup(): Promise<void>;
}

export async function prepareBackingStore(store: BenchStore, env: NodeJS.ProcessEnv): Promise<BackingStore> {
  if (store === 'embedded') {
    return { store, env: {}, description: { store }, servicePids: async () => [], cleanup: async () => {} };
  }
  const adminUrl = env.BENCH_DATABASE_URL || env.BAIMO_TEST_DATABASE_URL;
  const redisBase = env.BENCH_REDIS_URL || env.BAIMO_TEST_REDIS_URL;
  if (!adminUrl || !redisBase) {
    throw new Error('BENCH_STORE=postgres needs BENCH_DATABASE_URL and BENCH_REDIS_URL (or run: eval "$(bash .ci/services.sh start)")');
  }
  const redisDb = env.BENCH_REDIS_DB ? Number(env.BENCH_REDIS_DB) : DEFAULT_REDIS_DB;
  if (!Number.isInteger(redisDb) || redisDb < 0) throw new Error(`BENCH_REDIS_DB must be a database index, not '${env.BENCH_REDIS_DB}'`);

  const database = `baimo_bench_${randomBytes(6).toString('hex')}`;
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${database}`;
  const redisUrl = new URL(redisBase);
  redisUrl.pathname = `/${redisDb}`;

  // The servers may be shared: if one goes away mid-run (another session stops it), report it
  // rather than crash the orchestrator with an unhandled 'error' event.
  const warn = (what: string) => (err: Error) => process.stderr.write(`bench: ${what}: ${err.message}\n`);
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', warn('PostgreSQL admin connection failed'));
  await admin.connect();
  const redis = new Redis(redisUrl.toString(), { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', warn('Redis admin connection failed'));
  try {
    await admin.query(`create database ${database}`);
    await redis.connect();
    await redis.flushdb();
  } catch (err) {
    redis.disconnect();
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => {});
    await admin.end();
    throw err;
  }
  const info = await redis.info('server');
  const redisPid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);

  let cleaned = false;
  return {
    store,
    env: { BENCH_BAIMO_DATABASE_URL: databaseUrl.toString(), BENCH_BAIMO_REDIS_URL: redisUrl.toString() },
    description: { store, database: `${databaseUrl.host}/${database}`, redis: `${redisUrl.host}/${redisDb}` },
    async servicePids() {
      // Client backends of the bench database (not this admin connection) and the server's own
      // background processes (WAL writer, checkpointer, autovacuum); other databases' sessions are left out.
      const rows = await admin
        .query<{ pid: number }>(
          `select pid from pg_stat_activity where pid <> pg_backend_pid() and (datname = $1 or backend_type <> 'client backend')`,
          [database],
        )
        .then((r) => r.rows)
        .catch(() => []);
      return [...rows.map((r) => r.pid), ...(Number.isInteger(redisPid) ? [redisPid] : [])];
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      try {
        await redis.flushdb();
      } finally {
        redis.disconnect();
        try {
          await admin.query(`drop database if exists ${database} with (force)`);
        } finally {
          await admin.end();
        }
      }
    },
  };
}
