import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Bm25Index, type Bm25Json } from '../index/bm25-index.js';
import type { Tokenize } from '../index/tokenizer.js';
import { UsearchVectorIndex } from '../index/usearch-vector-index.js';
import type { ChunkRepo } from '../store/chunk-repo.js';
import { bytesToVector } from '../store/vector-bytes.js';
import { indexTextOf } from './index-text.js';

/**
 * In-process indexes of each knowledge base: BM25 always, and the ANN vector index unless the
 * database searches vectors itself (pgvector). Each KB's indexes remember the last chunk `seq`
 * and tombstone `seq` they applied and catch up from the chunk table before every search, so
 * every replica converges without messages. Indexes are saved to the data dir (debounced, and on
 * close) with those watermarks; after a restart — clean or `kill -9` — a KB loads its files and
 * applies only what changed since.
 */

export interface KbIndexes {
  kbId: string;
  bm25: Bm25Index;
  /** Absent when vectors are searched elsewhere, or before the first embedded chunk. */
  vectors?: UsearchVectorIndex;
  /** chunk id → document id, for filters. */
  documentOf: Map<string, string>;
  chunkSeq: number;
  tombSeq: number;
}

interface Manifest {
  version: 1;
  chunkSeq: number;
  tombSeq: number;
  dimensions: number | null;
  documentOf: [string, string][];
}

export interface KbIndexCacheOptions {
  chunks: ChunkRepo;
  tokenize: Tokenize;
  /** Keep an in-process ANN index (false when pgvector searches). */
  memoryVectors: boolean;
  /** Where to persist indexes; none = memory only. */
  dir?: string;
  saveDelayMs?: number;
  /**
   * Bounds on what stays in memory: least recently searched KBs are saved (when a dir is set)
   * and unloaded beyond this many KBs or chunks in total. The one in use is never unloaded.
   */
  maxKbs?: number;
  maxChunks?: number;
  log: (message: string, err?: unknown) => void;
}

/**
 * Chunks read per query, and applied per synchronous step. Inserting into HNSW and tokenising
 * block the event loop: 500 at once took ~0.1–0.2 s here, so a page is applied in slices with
 * the event loop let go in between.
 */
const PAGE = 500;
const SLICE = 100;

export class KbIndexCache {
  private readonly indexes = new Map<string, Promise<KbIndexes>>();
  /** One catch-up at a time per KB; concurrent searches share it. */
  private readonly syncing = new Map<string, Promise<KbIndexes>>();
  private readonly dirty = new Set<string>();
  /** Chunks held per loaded KB, for the memory bound. */
  private readonly sizes = new Map<string, number>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly opts: KbIndexCacheOptions) {}

  /** The KB's indexes, caught up with the chunk table. */
  get(kbId: string): Promise<KbIndexes> {
    const inFlight = this.syncing.get(kbId);
    if (inFlight) return inFlight;
    const run = (async () => {
      let loading = this.indexes.get(kbId);
      if (loading) this.indexes.delete(kbId); // re-inserted below: Map order is recency order
      else loading = this.load(kbId);
      this.indexes.set(kbId, loading);
      const idx = await loading;
      if (await this.catchUp(idx)) this.markDirty(kbId);
      this.sizes.set(kbId, idx.bm25.size);
      await this.evictBeyondBounds(kbId);
      return idx;
    })().finally(() => this.syncing.delete(kbId));
    this.syncing.set(kbId, run);
    return run;
  }

  /** KBs whose indexes are in memory now, least recently used first. */
  loaded(): string[] {
    return [...this.indexes.keys()];
  }

  async drop(kbId: string): Promise<void> {
    this.indexes.delete(kbId);
    this.sizes.delete(kbId);
    this.dirty.delete(kbId);
    if (this.opts.dir) await rm(join(this.opts.dir, kbId), { recursive: true, force: true });
  }

  /** Writes every changed index now. */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.saving = this.saving.then(async () => {
      for (const id of ids) {
        const idx = await this.indexes.get(id)?.catch(() => undefined);
        if (idx) await this.save(idx).catch((err: unknown) => this.opts.log(`saving the index of ${id} failed`, err));
      }
    });
    await this.saving;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async evictBeyondBounds(current: string): Promise<void> {
    const maxKbs = this.opts.maxKbs ?? 256;
    const maxChunks = this.opts.maxChunks ?? 2_000_000;
    let total = [...this.sizes.values()].reduce((a, b) => a + b, 0);
    for (const kbId of [...this.indexes.keys()]) {
      if (this.indexes.size <= maxKbs && total <= maxChunks) return;
      if (kbId === current || this.syncing.has(kbId)) continue;
      if (this.dirty.has(kbId)) {
        const idx = await this.indexes.get(kbId)!.catch(() => undefined);
        this.dirty.delete(kbId);
        if (idx) await this.save(idx).catch((err: unknown) => this.opts.log(`saving the index of ${kbId} failed`, err));
      }
      if (this.syncing.has(kbId)) continue; // searched again while we saved
      this.indexes.delete(kbId);
      total -= this.sizes.get(kbId) ?? 0;
      this.sizes.delete(kbId);
    }
  }

  private markDirty(kbId: string): void {
    if (!this.opts.dir) return;
    this.dirty.add(kbId);
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => void this.flush(), this.opts.saveDelayMs ?? 5000);
    this.saveTimer.unref();
  }

  private async load(kbId: string): Promise<KbIndexes> {
    const fresh: KbIndexes = { kbId, bm25: new Bm25Index(this.opts.tokenize), documentOf: new Map(), chunkSeq: 0, tombSeq: 0 };
    if (!this.opts.dir) return fresh;
    const dir = join(this.opts.dir, kbId);
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
      const bm25 = Bm25Index.fromJSON(JSON.parse(await readFile(join(dir, 'bm25.json'), 'utf8')) as Bm25Json, this.opts.tokenize);
      let vectors: UsearchVectorIndex | undefined;
      if (this.opts.memoryVectors && manifest.dimensions) {
        vectors = new UsearchVectorIndex(manifest.dimensions);
        await vectors.load(join(dir, 'vectors.usearch'));
      }
      return { kbId, bm25, vectors, documentOf: new Map(manifest.documentOf), chunkSeq: manifest.chunkSeq, tombSeq: manifest.tombSeq };
    } catch (err) {
      // Missing or unreadable files: rebuild from the chunk table (the source of truth).
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.opts.log(`index files of ${kbId} unreadable; rebuilding`, err);
      return fresh;
    }
  }

  /** Applies chunks and tombstones newer than the watermarks; true if anything changed. */
  private async catchUp(idx: KbIndexes): Promise<boolean> {
    let changed = false;
    for (;;) {
      const page = await this.opts.chunks.chunksSince(idx.kbId, idx.chunkSeq, PAGE, this.opts.memoryVectors);
      // Applied in slices with a turn of the event loop between them, so gateway requests are
      // not held up by a large catch-up for more than a slice of 100 chunks.
      for (let at = 0; at < page.length; at += SLICE) {
        if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const slice = page.slice(at, at + SLICE);
        for (const c of slice) {
          idx.bm25.add(c.id, indexTextOf(c.text, JSON.parse(c.heading_path) as string[]));
          idx.documentOf.set(c.id, c.document_id);
        }
        if (this.opts.memoryVectors) {
          // One batch per slice: usearch inserts it on several threads; existing ids are replaced.
          const vectors = slice.map((c) => bytesToVector(c.embedding));
          idx.vectors ??= new UsearchVectorIndex(vectors[0]!.length);
          idx.vectors.addMany(
            slice.map((c) => c.id),
            vectors,
          );
        }
      }
      // Advanced only once the whole page is in; re-applying a page is harmless (adds replace).
      if (page.length > 0) idx.chunkSeq = page[page.length - 1]!.seq;
      changed ||= page.length > 0;
      if (page.length < PAGE) break;
    }
    for (;;) {
      const page = await this.opts.chunks.tombstonesSince(idx.kbId, idx.tombSeq, PAGE);
      for (const t of page) {
        idx.bm25.remove(t.chunk_id);
        idx.vectors?.remove(t.chunk_id);
        idx.documentOf.delete(t.chunk_id);
        idx.tombSeq = t.seq;
      }
      changed ||= page.length > 0;
      if (page.length < PAGE) break;
    }
    return changed;
  }

  /** Index files first, manifest last (renamed into place): a manifest never claims more than the files hold. */
  private async save(idx: KbIndexes): Promise<void> {
    const dir = join(this.opts.dir!, idx.kbId);
    await mkdir(dir, { recursive: true });
    const manifest: Manifest = {
      version: 1,
      chunkSeq: idx.chunkSeq,
      tombSeq: idx.tombSeq,
      dimensions: idx.vectors?.dimensions ?? null,
      documentOf: [...idx.documentOf],
    };
    await rm(join(dir, 'manifest.json'), { force: true });
    await writeFile(join(dir, 'bm25.json.tmp'), JSON.stringify(idx.bm25.toJSON()));
    await rename(join(dir, 'bm25.json.tmp'), join(dir, 'bm25.json'));
    if (idx.vectors) await idx.vectors.save(join(dir, 'vectors.usearch'));
    await writeFile(join(dir, 'manifest.json.tmp'), JSON.stringify(manifest));
    await rename(join(dir, 'manifest.json.tmp'), join(dir, 'manifest.json'));
  }
}
