import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgvectorStore, type PgvectorStore } from '../../../src/knowledge/store/pgvector-store.js';
import { PG_URL, requireService } from '../../support/backends.js';

const PGLITE_TIMEOUT = 60_000;
// Case and '-'/'_' matter: server/ids.ts makes base64url ids.
const KB_A = 'kb_Ab3-x_Q9000001';
const KB_B = 'kb_ab3-x_Q9000002';

const v = (...xs: number[]) => new Float32Array(xs);
const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; }
  return dot / Math.sqrt(na * nb);
};

describe('PgvectorStore on PGlite + pgvector', () => {
  let db: Kysely<any>;
  let store: PgvectorStore;
  const rowsA = [
    { id: 'chk_a1', vector: v(1, 0, 0) },
    { id: 'chk_a2', vector: v(0.9, 0.1, 0) },
    { id: 'chk_a3', vector: v(0, 1, 0) },
    { id: 'chk_a4', vector: v(0, 0, 1) },
  ];
  const rowsB = [
    { id: 'chk_b1', vector: v(1, 0, 0) }, // identical to a1: must never show up in KB_A's results
    { id: 'chk_b2', vector: v(-1, 0, 0) },
  ];

  beforeAll(async () => {
    const pglite = await PGlite.create({ extensions: { vector } });
    db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
    store = (await createPgvectorStore(db))!;
    expect(store).toBeDefined();
    await db.transaction().execute(async (trx) => {
      await store.added(trx, KB_A, rowsA);
      await store.added(trx, KB_B, rowsB);
    });
  }, PGLITE_TIMEOUT);
  afterAll(async () => db?.destroy());

  it('creates kb_vectors and its kb_id index, idempotently', async () => {
    expect(store.kind).toBe('pgvector');
    const { rows } = await sql<{ column_name: string; data_type: string; is_nullable: string }>`
      select column_name, udt_name as data_type, is_nullable from information_schema.columns
      where table_name = 'kb_vectors' order by ordinal_position`.execute(db);
    expect(rows).toEqual([
      { column_name: 'chunk_id', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'kb_id', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'embedding', data_type: 'vector', is_nullable: 'NO' },
    ]);
    const idx = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'kb_vectors'`.execute(db);
    expect(idx.rows.map((r) => r.indexname)).toContain('kb_vectors_kb_id');
    expect(await createPgvectorStore(db)).toBeDefined(); // second start: everything already exists
  });

  it('returns the nearest chunks by cosine with score = 1 - distance, only from the KB asked', async () => {
    const q = v(1, 0.2, 0);
    const hits = await store.search(KB_A, q, 3);
    expect(hits.map((h) => h.id)).toEqual(['chk_a2', 'chk_a1', 'chk_a3']);
    for (const h of hits) expect(h.score).toBeCloseTo(cosine(q, rowsA.find((r) => r.id === h.id)!.vector), 5);
    const all = await store.search(KB_A, q, 10);
    expect(all.map((h) => h.id).sort()).toEqual(['chk_a1', 'chk_a2', 'chk_a3', 'chk_a4']);
    const b = await store.search(KB_B, v(-1, 0, 0), 10);
    expect(b.map((h) => h.id)).toEqual(['chk_b2', 'chk_b1']);
    expect(b[0]!.score).toBeCloseTo(1, 6);
    expect(b[1]!.score).toBeCloseTo(-1, 6);
    expect(await store.search('kb_unknown', q, 5)).toEqual([]);
    expect(await store.search(KB_A, q, 0)).toEqual([]);
  });

  it('ranks only allowedChunkIds when given', async () => {
    const q = v(1, 0, 0);
    const hits = await store.search(KB_A, q, 2, new Set(['chk_a3', 'chk_a4', 'chk_b1']));
    expect(hits.map((h) => h.id).sort()).toEqual(['chk_a3', 'chk_a4']); // chk_b1 is another KB's
    expect(hits[0]!.score).toBeCloseTo(0, 6);
    expect((await store.search(KB_A, q, 1, new Set(['chk_a2', 'chk_a3'])))[0]!.id).toBe('chk_a2');
    expect(await store.search(KB_A, q, 5, new Set())).toEqual([]);
  });

  it('upserts on chunk_id and deletes with removed()', async () => {
    const kb = 'kb_upsert01';
    await db.transaction().execute((trx) => store.added(trx, kb, [{ id: 'chk_u1', vector: v(1, 0) }, { id: 'chk_u2', vector: v(0, 1) }]));
    await db.transaction().execute((trx) => store.added(trx, kb, [{ id: 'chk_u1', vector: v(0, -1) }]));
    let hits = await store.search(kb, v(0, 1), 5);
    expect(hits.map((h) => [h.id, Math.round(h.score)])).toEqual([['chk_u2', 1], ['chk_u1', -1]]);
    await db.transaction().execute((trx) => store.removed(trx, kb, ['chk_u2', 'chk_a1'])); // chk_a1: other KB, untouched
    hits = await store.search(kb, v(0, 1), 5);
    expect(hits.map((h) => h.id)).toEqual(['chk_u1']);
    expect((await store.search(KB_A, v(1, 0, 0), 1))[0]!.id).toBe('chk_a1');
  });

  it('writes nothing when the committing transaction rolls back, and recreates the index then', async () => {
    const kb = 'kb_rollback1';
    await expect(
      db.transaction().execute(async (trx) => {
        await store.added(trx, kb, [{ id: 'chk_r1', vector: v(1, 1) }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.search(kb, v(1, 1), 5)).toEqual([]);
    expect(await indexNames()).not.toContain(`kb_vectors_hnsw_${kb}`);
    await db.transaction().execute((trx) => store.added(trx, kb, [{ id: 'chk_r1', vector: v(1, 1) }]));
    expect(await indexNames()).toContain(`kb_vectors_hnsw_${kb}`);
  });

  it("creates a partial HNSW index per KB that the search query's plan uses", async () => {
    const names = await indexNames();
    expect(names).toContain(`kb_vectors_hnsw_${KB_A}`);
    expect(names).toContain(`kb_vectors_hnsw_${KB_B}`); // case-sensitive names: no collision
    const { rows } = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = ${`kb_vectors_hnsw_${KB_A}`}`.execute(db);
    expect(rows[0]!.indexdef).toMatch(/USING hnsw \(\(\(embedding\)::vector\(3\)\) vector_cosine_ops\) WHERE \(kb_id = 'kb_Ab3-x_Q9000001'::text\)/);
    const plan = await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const query = store.searchQuery(KB_A, v(1, 0.2, 0), 3);
        return (await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(conn)).rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
    expect(plan).toContain(`kb_vectors_hnsw_${KB_A}`);
  });

  it('returns more than ef_search (40) hits when k asks for them', async () => {
    const kb = 'kb_many01';
    const rows = Array.from({ length: 60 }, (_, i) => ({ id: `chk_m${i}`, vector: v(Math.cos(i / 30), Math.sin(i / 30)) }));
    await db.transaction().execute((trx) => store.added(trx, kb, rows));
    const hits = await store.search(kb, v(1, 0), 50);
    expect(hits).toHaveLength(50);
    expect(hits[0]!.id).toBe('chk_m0');
  });

  it('drop() deletes the KB rows and its index, leaving other KBs alone', async () => {
    const kb = 'kb_drop01';
    await db.transaction().execute((trx) => store.added(trx, kb, [{ id: 'chk_d1', vector: v(1, 0, 0) }]));
    expect(await indexNames()).toContain(`kb_vectors_hnsw_${kb}`);
    await store.drop(kb);
    expect(await store.search(kb, v(1, 0, 0), 5)).toEqual([]);
    expect(await indexNames()).not.toContain(`kb_vectors_hnsw_${kb}`);
    expect((await store.search(KB_A, v(1, 0, 0), 1))[0]!.id).toBe('chk_a1');
    // Re-adding after a drop creates the index again.
    await db.transaction().execute((trx) => store.added(trx, kb, [{ id: 'chk_d1', vector: v(1, 0, 0) }]));
    expect(await indexNames()).toContain(`kb_vectors_hnsw_${kb}`);
  });

  it('refuses KB ids that are not kb_ + base64url, and mixed dimensions', async () => {
    const evil = "kb_x' or '1'='1";
    await expect(db.transaction().execute((trx) => store.added(trx, evil, [{ id: 'chk_e', vector: v(1, 0, 0) }]))).rejects.toThrow(/Invalid knowledge base id/);
    await expect(store.search(evil, v(1, 0, 0), 5)).rejects.toThrow(/Invalid knowledge base id/);
    await expect(store.search('kb_a"; drop table kb_vectors; --', v(1, 0, 0), 5)).rejects.toThrow(/Invalid knowledge base id/);
    await expect(store.drop('kb_a; drop table kb_vectors')).rejects.toThrow(/Invalid knowledge base id/);
    await expect(db.transaction().execute((trx) => store.removed(trx, 'x', ['chk_a1']))).rejects.toThrow(/Invalid knowledge base id/);
    await expect(
      db.transaction().execute((trx) => store.added(trx, 'kb_mixed1', [{ id: 'c1', vector: v(1, 0) }, { id: 'c2', vector: v(1, 0, 0) }])),
    ).rejects.toThrow(/dimensions/);
    const count = await sql<{ n: number }>`select count(*)::int as n from kb_vectors where kb_id = ${KB_A}`.execute(db);
    expect(count.rows[0]!.n).toBe(4);
  });

  async function indexNames(): Promise<string[]> {
    const { rows } = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'kb_vectors'`.execute(db);
    return rows.map((r) => r.indexname);
  }
});

describe('createPgvectorStore without the vector extension', () => {
  it('returns undefined on PGlite without pgvector, creates nothing and leaves the connection usable', async () => {
    const db = new Kysely<any>({ dialect: new PGliteDialect(await PGlite.create()) });
    try {
      expect(await createPgvectorStore(db)).toBeUndefined();
      await expectUsable(db);
      const { rows } = await sql<{ missing: boolean }>`select to_regclass('kb_vectors') is null as missing`.execute(db);
      expect(rows[0]!.missing).toBe(true);
      // Probing inside a transaction is refused rather than aborting the caller's transaction.
      await expect(db.transaction().execute((trx) => createPgvectorStore(trx))).rejects.toThrow(/outside a transaction/);
      await expectUsable(db);
    } finally {
      await db.destroy();
    }
  }, PGLITE_TIMEOUT);
});

requireService('PostgreSQL', PG_URL, 'createPgvectorStore on the real PostgreSQL (BAIMO_TEST_DATABASE_URL)', () => {
  it('returns undefined where pgvector is not installed and leaves the pool usable', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    // One connection: the probe's failure and every later query share it.
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1, options: `-c search_path=${schema}` });
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    try {
      await sql`create schema ${sql.id(schema)}`.execute(db);
      const available = await sql`select 1 from pg_available_extensions where name = 'vector'`.execute(db);
      const store = await createPgvectorStore(db);
      if (available.rows.length === 0) expect(store).toBeUndefined();
      else expect(store?.kind).toBe('pgvector'); // a server with pgvector: then it must work
      await expectUsable(db);
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db).catch(() => {});
      await db.destroy();
    }
  });
});

/** Not stuck in an aborted transaction: plain queries and a transaction still run. */
async function expectUsable(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  expect(rows).toEqual([{ one: 1 }]);
  const inTrx = await db.transaction().execute(async (trx) => (await sql<{ s: string }>`select 'ok' as s`.execute(trx)).rows[0]!.s);
  expect(inTrx).toBe('ok');
}

describe('PgvectorStore.sweepOrphans on PGlite + pgvector', () => {
  it('removes vectors and HNSW indexes of knowledge bases that no longer exist, and nothing else', async () => {
    const pglite = await PGlite.create({ extensions: { vector } });
    const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
    try {
      await sql`create table knowledge_bases (id text primary key)`.execute(db);
      await sql`insert into knowledge_bases (id) values (${KB_A})`.execute(db);
      const store = (await createPgvectorStore(db))!;
      await db.transaction().execute(async (trx) => {
        await store.added(trx, KB_A, [{ id: 'chk_a1', vector: v(1, 0) }]);
        await store.added(trx, KB_B, [{ id: 'chk_b1', vector: v(0, 1) }, { id: 'chk_b2', vector: v(1, 1) }]);
      });
      const indexes = async () => (await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'kb_vectors'`.execute(db)).rows.map((r) => r.indexname).sort();
      expect(await indexes()).toEqual(['kb_vectors_hnsw_' + KB_A, 'kb_vectors_hnsw_' + KB_B, 'kb_vectors_kb_id', 'kb_vectors_pkey'].sort());
      // KB_B was deleted, but the process died before its vectors went.
      expect(await store.sweepOrphans()).toBe(2);
      expect(await indexes()).toEqual(['kb_vectors_hnsw_' + KB_A, 'kb_vectors_kb_id', 'kb_vectors_pkey'].sort());
      expect((await store.search(KB_A, v(1, 0), 5)).map((h) => h.id)).toEqual(['chk_a1']);
      expect(await store.sweepOrphans()).toBe(0);
    } finally {
      await db.destroy();
    }
  }, PGLITE_TIMEOUT);
});
