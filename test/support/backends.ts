import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/**
 * Backends that contract suites run against. Embedded SQLite always; PostgreSQL and Redis when
 * BAIMO_TEST_DATABASE_URL / BAIMO_TEST_REDIS_URL are set (.ci/services.sh starts both). Locally a
 * missing service skips with a reason; under CI=true it is a failure, never a silent skip.
 */
export const PG_URL = process.env.BAIMO_TEST_DATABASE_URL;
export const REDIS_URL = process.env.BAIMO_TEST_REDIS_URL;
const IN_CI = process.env.CI === 'true';

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** A fresh, isolated store (own file or own PostgreSQL schema). */
  open(): Promise<Store>;
}

export const sqliteBackend: StoreBackend = { name: 'sqlite', open: () => openStore({ sqliteFile: ':memory:' }) };

export const postgresBackend: StoreBackend = {
  name: 'postgres',
  open: () => openStore({ databaseUrl: PG_URL!, pgSchema: `t_${randomBytes(6).toString('hex')}`, poolSize: 5 }),
};

/** Run `suite` once per store backend. */
export function describeEachStore(title: string, suite: (backend: StoreBackend) => void): void {
  describe(`${title} [sqlite]`, () => suite(sqliteBackend));
  requireService('PostgreSQL', PG_URL, `${title} [postgres]`, () => suite(postgresBackend));
}

/** Describe a block that needs an external service: fails under CI when it is missing. */
export function requireService(service: string, url: string | undefined, title: string, suite: () => void): void {
  if (url) {
    describe(title, suite);
    return;
  }
  if (IN_CI) {
    describe(title, () => {
      it(`${service} is available`, () => {
        throw new Error(`${service} is required under CI=true: set its BAIMO_TEST_* URL (.ci/services.sh starts it).`);
      });
    });
    return;
  }
  describe.skip(`${title} — skipped: ${service} not configured (run: eval "$(bash .ci/services.sh start)")`, suite);
}

/** A fresh PostgreSQL database for a whole server (BAIMO_DATABASE_URL); `drop()` removes it. */
export async function createTestDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const run = async (sql: string) => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => run(`drop database if exists ${name} with (force)`) };
}
