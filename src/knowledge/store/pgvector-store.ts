import { sql, type Kysely, type RawBuilder } from 'kysely';
import { byScoreThenId, type SearchHit } from '../index/search-hit.js';
import type { VectorStore } from './vector-store.js';

/**
 * VectorStore on PostgreSQL's pgvector. Owns `kb_vectors` (created at runtime, not by the
 * migrations: whether the extension exists is a property of the server). The column is
 * dimensionless, so each KB gets a partial HNSW index on `embedding::vector(<dims>)`, created in
 * the transaction of the KB's first `added`; search orders by that same expression so the planner
 * can use it. KB ids are interpolated into DDL only after `KB_ID` validates them.
 */

/** `kb_` + base64url (server/ids.ts); at most 47 characters so the index name fits in 63. */
const KB_ID = /^kb_[A-Za-z0-9_-]{1,44}$/;
/** pgvector's HNSW limit for `vector`; wider KBs are searched by an exact scan. */
const HNSW_MAX_DIMS = 2000;
const MAX_DIMS = 16000;
/** pgvector's default `hnsw.ef_search`: an index scan returns at most this many rows. */
const DEFAULT_EF_SEARCH = 40;
const MAX_EF_SEARCH = 1000;
const INSERT_BATCH = 200;
/** SQLSTATEs of a concurrent `create … if not exists` losing the race: retried once. */
const DDL_RACE = new Set(['23505', '42P07', '42710']);

export class PgvectorStore implements VectorStore {
  readonly kind = 'pgvector' as const;
  /** KBs whose HNSW index was seen committed (or is not wanted): no catalog look-up needed. */
  private readonly indexed = new Set<string>();

  constructor(private readonly db: Kysely<any>) {}

  async added(trx: Kysely<any>, kbId: string, rows: readonly { id: string; vector: Float32Array }[]): Promise<void> {
    checkKbId(kbId);
    if (rows.length === 0) return;
    const dims = checkDims(rows[0]!.vector.length);
    for (const row of rows) {
      if (row.vector.length !== dims) throw new Error(`Chunk ${row.id}: ${row.vector.length} dimensions, expected ${dims}.`);
    }
    await this.ensureIndex(trx, kbId, dims);
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const values = rows
        .slice(i, i + INSERT_BATCH)
        .map((r) => sql`(${r.id}, ${kbId}, cast(${vectorText(r.vector)} as vector))`);
      await sql`insert into kb_vectors (chunk_id, kb_id, embedding) values ${sql.join(values)}
        on conflict (chunk_id) do update set kb_id = excluded.kb_id, embedding = excluded.embedding`.execute(trx);
    }
  }

  async removed(trx: Kysely<any>, kbId: string, chunkIds: readonly string[]): Promise<void> {
    checkKbId(kbId);
    if (chunkIds.length === 0) return;
    await sql`delete from kb_vectors where kb_id = ${kbId} and chunk_id = any(cast(${[...chunkIds]} as text[]))`.execute(trx);
  }

  async search(kbId: string, vector: Float32Array, k: number, allowedChunkIds?: ReadonlySet<string>): Promise<SearchHit[]> {
    checkKbId(kbId);
    k = Math.floor(k);
    if (k <= 0 || allowedChunkIds?.size === 0) return [];
    const query = this.searchQuery(kbId, vector, k, allowedChunkIds);
    // An HNSW scan yields at most ef_search rows; widen it (for this transaction only) when k is larger.
    const useIndex = !allowedChunkIds && vector.length <= HNSW_MAX_DIMS && k > DEFAULT_EF_SEARCH;
    const { rows } = useIndex
      ? await this.db.transaction().execute(async (trx) => {
          await sql`select set_config('hnsw.ef_search', ${String(Math.min(k, MAX_EF_SEARCH))}, true)`.execute(trx);
          return query.execute(trx);
        })
      : await query.execute(this.db);
    return rows.map((r) => ({ id: r.chunk_id, score: 1 - Number(r.distance) })).sort(byScoreThenId);
  }

  /**
   * The nearest-neighbour query `search` runs. Unfiltered it orders by the indexed expression;
   * with `allowedChunkIds` it ranks the allowed rows exactly (a filter applied after an HNSW scan
   * could return fewer than k rows), which is cheap since the allowed set is already in memory.
   */
  searchQuery(kbId: string, vector: Float32Array, k: number, allowedChunkIds?: ReadonlySet<string>): RawBuilder<{ chunk_id: string; distance: number }> {
    checkKbId(kbId);
    const type = sql.raw(`vector(${checkDims(vector.length)})`);
    const distance = sql`embedding::${type} <=> cast(${vectorText(vector)} as ${type})`;
    if (allowedChunkIds) {
      return sql`with allowed as materialized (
          select chunk_id, embedding from kb_vectors
          where kb_id = ${kbId} and chunk_id = any(cast(${[...allowedChunkIds]} as text[])))
        select chunk_id, ${distance} as distance from allowed order by distance limit ${k}`;
    }
    return sql`select chunk_id, ${distance} as distance from kb_vectors
      where kb_id = ${kbId} order by distance limit ${k}`;
  }

  async drop(kbId: string): Promise<void> {
    checkKbId(kbId);
    await sql`delete from kb_vectors where kb_id = ${kbId}`.execute(this.db);
    await sql`drop index if exists ${sql.id(indexName(kbId))}`.execute(this.db);
    this.indexed.delete(kbId);
  }

  /**
   * Deletes vectors and HNSW indexes of KBs that no longer exist. `drop` runs after the KB's own
   * transaction has committed (an index cannot be dropped inside it cheaply), so a crash between
   * the two leaves orphans; they are invisible to search (always by kb_id) but take space. Run at
   * start. Returns how many vectors went.
   */
  async sweepOrphans(): Promise<number> {
    const gone = await sql`delete from kb_vectors v where not exists (select 1 from knowledge_bases k where k.id = v.kb_id)`.execute(this.db);
    const { rows } = await sql<{ indexname: string }>`select indexname from pg_indexes
      where tablename = 'kb_vectors' and indexname like 'kb\_vectors\_hnsw\_%'
      and substr(indexname, ${INDEX_PREFIX.length + 1}) not in (select id from knowledge_bases)`.execute(this.db);
    for (const { indexname } of rows) await sql`drop index if exists ${sql.id(indexname)}`.execute(this.db);
    return Number(gone.numAffectedRows ?? 0);
  }

  async close(): Promise<void> {
    // The connection belongs to the caller.
  }

  /**
   * Creates the KB's HNSW index inside `trx` unless it exists. `create index` takes a SHARE lock
   * on kb_vectors until `trx` ends (once per KB); the advisory lock makes a concurrent first
   * `added` for the same KB wait and then see the committed index instead of failing.
   */
  private async ensureIndex(trx: Kysely<any>, kbId: string, dims: number): Promise<void> {
    if (this.indexed.has(kbId)) return;
    if (dims > HNSW_MAX_DIMS) {
      this.indexed.add(kbId);
      return;
    }
    const name = indexName(kbId);
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
    const { rows } = await sql<{ present: boolean }>`select to_regclass(${`"${name}"`}) is not null as present`.execute(trx);
    if (rows[0]?.present) {
      this.indexed.add(kbId); // Committed or created earlier in this transaction; either way it exists.
      return;
    }
    // Not cached yet: if `trx` rolls back, the next `added` finds no index and creates it again.
    await sql`create index if not exists ${sql.id(name)} on kb_vectors
      using hnsw ((embedding::${sql.raw(`vector(${dims})`)}) vector_cosine_ops) where kb_id = ${sql.lit(kbId)}`.execute(trx);
  }
}

/**
 * A PgvectorStore when the `vector` extension can be created (or already exists) and used on
 * `db`'s server; undefined otherwise (e.g. Debian's PostgreSQL without pgvector). Must be called
 * outside a transaction: each statement autocommits, so a failed probe leaves nothing behind.
 * Errors other than the server refusing (connection failures) are thrown.
 */
export async function createPgvectorStore(db: Kysely<any>): Promise<PgvectorStore | undefined> {
  if (db.isTransaction) throw new Error('createPgvectorStore must be called outside a transaction.');
  try {
    await ddl(db, sql`create extension if not exists vector`);
    await sql`select cast('[1,0]' as vector) <=> cast('[0,1]' as vector)`.execute(db); // Reachable on search_path.
  } catch (err) {
    if (sqlState(err)) return undefined;
    throw err;
  }
  await ddl(db, sql`create table if not exists kb_vectors (
    chunk_id text primary key, kb_id text not null, embedding vector not null)`);
  await ddl(db, sql`create index if not exists kb_vectors_kb_id on kb_vectors (kb_id)`);
  return new PgvectorStore(db);
}

/** Concurrent `create … if not exists` (replicas starting together) can fail; the retry sees it done. */
async function ddl(db: Kysely<any>, query: RawBuilder<unknown>): Promise<void> {
  try {
    await query.execute(db);
  } catch (err) {
    if (!DDL_RACE.has(sqlState(err) ?? '')) throw err;
    await query.execute(db);
  }
}

/** The SQLSTATE of a server error (node-pg and PGlite both set `code`), else undefined. */
function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function checkKbId(kbId: string): void {
  if (!KB_ID.test(kbId)) throw new Error(`Invalid knowledge base id for the vector store: ${JSON.stringify(kbId)}.`);
}

function checkDims(dims: number): number {
  if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS) throw new Error(`Unsupported vector dimensions: ${dims}.`);
  return dims;
}

/** Case matters (base64url ids), so it is always quoted. */
const INDEX_PREFIX = 'kb_vectors_hnsw_';

function indexName(kbId: string): string {
  return `${INDEX_PREFIX}${kbId}`;
}

/** pgvector's text form; float32 → number → shortest decimal round-trips exactly. */
function vectorText(v: Float32Array): string {
  return `[${Array.prototype.join.call(v, ',')}]`;
}
