import { mkdirSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { closeFd, fsyncDir, fsyncFd, listSegments, readSegment, SEQ_DIGITS, writeLine } from './journal-files.js';

/**
 * A durable, batched path from the request path to the database, shared by usage events and
 * request logs.
 *
 * Each item becomes one JSON line; the lines of the items appended in one event-loop turn reach an
 * append-only segment file in one synchronous write() at the end of that turn (group commit), and
 * `durable()` resolves once they have: then they are in the OS page cache and survive `kill -9` of
 * this process. A caller that must not answer before its item is safe awaits `durable()`. One
 * write() per turn instead of one per line: at saturation the bench's requests share a turn, and
 * the per-line write() cost ~10 µs of a request's CPU in place (docs/benchmarks.md, fifth pass).
 * (Surviving power loss needs the data on the disk: with `fsync: 'batch'` each flush tick fsyncs
 * the segments and the directory first, so a power cut loses at most the last interval; with
 * 'never' it is up to the OS.) A timer then inserts queued items in batches through
 * an idempotent `insert`, and a segment is deleted only after every line in it was inserted.
 *
 * Crash anywhere — mid-write, mid-insert, between insert and delete, mid-rotation — and the next
 * start's `recover()` replays every segment left on disk. Replays are harmless because `insert`
 * ignores ids it already has, so nothing is lost and nothing is counted twice. A line torn by the
 * crash was never acknowledged (its `append` never returned); recovery skips it and logs.
 *
 * One journal directory belongs to one process: replicas must not share a data dir.
 */

export type FsyncMode = 'batch' | 'never';

/** pino-compatible subset, so the server can pass `app.log`. */
export interface MeteringLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface JournalOptions<T> {
  dir: string;
  /** Segment files are `<name>-<seq>.jsonl`. */
  name: string;
  /** Writes a batch in one transaction; must ignore items it already has (idempotent by id). */
  insert: (batch: T[]) => Promise<void>;
  /** Checks a line read back at recovery; undefined = not a valid item. */
  parse: (value: unknown) => T | undefined;
  now: () => number;
  /** 0 disables the timer (callers flush by hand). */
  flushIntervalMs?: number;
  batchSize?: number;
  fsync?: FsyncMode;
  /** A segment this large is rotated even while the database is behind. */
  maxSegmentBytes?: number;
  /**
   * Timer flushes rotate the active segment (so it can be deleted once drained) only when it has
   * reached this size or age; an explicit `flush()` or `close()` always does. Rotating on every
   * 200 ms tick cost a file create, fsync, close and unlink per tick, which showed in the bench
   * profile; a segment kept longer only means more already-inserted lines to replay (harmlessly,
   * by id) after a crash. Defaults: 4 MiB, 10 s.
   */
  rotateBytes?: number;
  rotateAfterMs?: number;
  log?: MeteringLog;
}

export interface JournalStats {
  /** Appended, not yet in the database. */
  queued: number;
  /** Segment files on disk (including unrecovered ones from a previous run). */
  segments: number;
  lastFlushAt: number | null;
  lastError: string | null;
}

export interface RecoverResult {
  segments: number;
  replayed: number;
  /** Unreadable lines skipped (a torn last line after kill -9). */
  skipped: number;
}

export interface Journal<T> {
  /**
   * Have the item written at the end of this turn (see `durable`), then queued. It is serialised
   * then, not now: the caller must not change it after appending.
   */
  append(item: T): void;
  /**
   * Settles once every line appended so far is written (rejects if the write failed; the items
   * are still queued for the database, only not journaled). Undefined when nothing is waiting to
   * be written, so the common "already safe" case costs no promise.
   */
  durable(): Promise<void> | undefined;
  /** Insert everything queued so far; rejects if the database refuses (items stay journaled). */
  flush(): Promise<void>;
  /** Replay segments a previous run left behind. Call once at start, before taking traffic. */
  recover(): Promise<RecoverResult>;
  /** Stop the timer and flush. Later appends are still journaled and recovered at next start. */
  close(): Promise<void>;
  stats(): JournalStats;
}

interface Segment {
  seq: number;
  path: string;
  fd: number | null;
  bytes: number;
  written: number;
  openedAt: number;
  /** Lines appended by this process and not yet inserted. */
  pending: number;
  /** Written since the last fsync. */
  dirty: boolean;
  retired: boolean;
}

interface Entry<T> {
  item: T;
  segment: Segment;
}

/** A turn's items are written early once this many wait (bounds the buffer). */
const GROUP_MAX_ITEMS = 512;

interface Waiters {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createJournal<T>(opts: JournalOptions<T>): Journal<T> {
  const batchSize = opts.batchSize ?? 500;
  const fsyncMode = opts.fsync ?? 'batch';
  const maxSegmentBytes = opts.maxSegmentBytes ?? 64 * 1024 * 1024;
  const rotateBytes = opts.rotateBytes ?? 4 * 1024 * 1024;
  const rotateAfterMs = opts.rotateAfterMs ?? 10_000;
  const log = opts.log ?? { warn() {}, error() {} };
  if (!/^[a-z0-9_-]+$/i.test(opts.name)) throw new Error(`Invalid journal name '${opts.name}'.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer.');
  mkdirSync(opts.dir, { recursive: true });

  const leftovers = listSegments(opts.dir, opts.name);
  let nextSeq = (leftovers.at(-1)?.seq ?? 0) + 1;
  const live = new Set<Segment>();
  let active: Segment | undefined;
  // A FIFO as array + head index: after a long outage the backlog drains in O(n), not O(n²).
  let queue: Entry<T>[] = [];
  let head = 0;
  let queuedTotal = 0;
  let insertedTotal = 0;
  let flushing: Promise<void> | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  let dirDirty = false;
  let lastOk = true;
  let lastFlushAt: number | null = null;
  let lastError: string | null = null;
  // Group commit: items appended this turn, not yet written, and whoever waits for them.
  let unwritten: T[] = [];
  let writeScheduled = false;
  let waiters: Waiters | undefined;

  const timer = opts.flushIntervalMs === 0 ? undefined : setInterval(tick, opts.flushIntervalMs ?? 200);
  timer?.unref();

  function openSegment(): Segment {
    const seq = nextSeq++;
    const path = join(opts.dir, `${opts.name}-${String(seq).padStart(SEQ_DIGITS, '0')}.jsonl`);
    const segment: Segment = { seq, path, fd: openSync(path, 'a'), bytes: 0, written: 0, openedAt: opts.now(), pending: 0, dirty: false, retired: false };
    live.add(segment);
    dirDirty = true;
    return segment;
  }

  function append(item: T): void {
    if (closed) {
      // After close: journaled at once for the next start's recovery, not queued.
      const segment = (active ??= openSegment());
      segment.bytes += writeLine(segment.fd!, `${JSON.stringify(item)}\n`);
      segment.written += 1;
      segment.dirty = true;
      return;
    }
    unwritten.push(item);
    if (unwritten.length >= GROUP_MAX_ITEMS) writeUnwritten();
    else if (!writeScheduled) {
      writeScheduled = true;
      setImmediate(writeUnwritten);
    }
  }

  function durable(): Promise<void> | undefined {
    if (unwritten.length === 0) return undefined;
    if (!waiters) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiters = { promise, resolve, reject };
    }
    return waiters.promise;
  }

  /**
   * Serialise this turn's items and write them in one write(), then queue them. Serialising here,
   * in one loop, rather than in each `append`, measured 5 µs less per request in place (the same
   * code run back to back stays in the CPU's caches). Never throws (it runs from setImmediate).
   */
  function writeUnwritten(): void {
    writeScheduled = false;
    if (unwritten.length === 0) return;
    const appended = unwritten;
    const waiting = waiters;
    unwritten = [];
    waiters = undefined;
    const items: T[] = [];
    let text = '';
    for (const item of appended) {
      let line: string;
      try {
        line = JSON.stringify(item);
      } catch (err) {
        // Only a caller's bug gets here (a cycle, a BigInt): such an item could not be stored either.
        log.error({ err, dir: opts.dir }, 'journal item could not be serialised; dropped');
        continue;
      }
      text += `${line}\n`;
      items.push(item);
    }
    if (items.length === 0) {
      waiting?.resolve();
      return;
    }
    let segment: Segment | undefined;
    let failure: unknown;
    try {
      segment = active ??= openSegment();
      segment.bytes += writeLine(segment.fd!, text);
      segment.written += items.length;
      segment.dirty = true;
    } catch (err) {
      failure = err;
      // A partial write may now end this segment; later lines must not be glued onto it.
      if (segment) retire(segment);
      log.error({ err, dir: opts.dir, items: items.length }, 'journal write failed; the items are queued for the database but not journaled');
    }
    // Queued either way: the database may still take them; only a crash before it does loses them.
    const owner = segment ?? unjournaled();
    owner.pending += items.length;
    for (const item of items) queue.push({ item, segment: owner });
    queuedTotal += items.length;
    if (failure === undefined) waiting?.resolve();
    else waiting?.reject(failure);
    if (queue.length - head >= batchSize && !flushing) runFlush().catch(noteFailure);
  }

  /** Stands in for the segment of items whose write failed before a segment opened (never on disk). */
  function unjournaled(): Segment {
    return { seq: -1, path: '', fd: null, bytes: 0, written: 0, openedAt: opts.now(), pending: 0, dirty: false, retired: true };
  }

  /** Stop appending to a segment; its fd is closed once synced (see syncAndClose). */
  function retire(segment: Segment): void {
    segment.retired = true;
    if (active === segment) active = undefined;
  }

  /** `drain`: the caller wants everything inserted and deleted now (explicit flush, close). */
  async function flushOnce(drain: boolean): Promise<void> {
    writeUnwritten();
    const current = active;
    // Rotate when this batch will drain the active segment, so it can be deleted right after,
    // and (on the timer) only once the segment is big or old enough; while the database is
    // failing, keep appending to it rather than churn files.
    const due = (s: Segment) => drain || s.bytes >= rotateBytes || opts.now() - s.openedAt >= rotateAfterMs;
    if (current && current.written > 0 && ((lastOk && queue.length - head <= batchSize && due(current)) || current.bytes >= maxSegmentBytes)) retire(current);
    await syncAndClose();
    const batch = queue.slice(head, head + batchSize);
    if (batch.length > 0) {
      await opts.insert(batch.map((e) => e.item));
      // Only now: anything appended meanwhile sits behind the batch and stays queued.
      head += batch.length;
      if (head >= 1024 && head * 2 >= queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      insertedTotal += batch.length;
      for (const e of batch) e.segment.pending -= 1;
    }
    lastFlushAt = opts.now();
    deleteDrained();
  }

  async function syncAndClose(): Promise<void> {
    const syncs: Promise<void>[] = [];
    for (const segment of live) {
      if (segment.fd === null) continue;
      const fd = segment.fd;
      const needsSync = fsyncMode === 'batch' && segment.dirty;
      segment.dirty = false;
      if (!segment.retired) {
        if (needsSync) syncs.push(fsyncFd(fd));
        continue;
      }
      segment.fd = null;
      syncs.push((needsSync ? fsyncFd(fd) : Promise.resolve()).finally(() => closeFd(fd)));
    }
    if (fsyncMode === 'batch' && dirDirty) {
      dirDirty = false;
      syncs.push(fsyncDir(opts.dir));
    }
    const results = await Promise.allSettled(syncs);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) log.error({ err: failed.reason, dir: opts.dir }, 'journal fsync failed');
  }

  function deleteDrained(): void {
    for (const segment of live) {
      if (!segment.retired || segment.fd !== null || segment.pending > 0) continue;
      live.delete(segment);
      try {
        unlinkSync(segment.path);
      } catch (err) {
        // Left behind, it is replayed harmlessly at the next start.
        log.warn({ err, segment: segment.path }, 'could not delete a flushed journal segment');
      }
    }
  }

  function runFlush(drain = false): Promise<void> {
    flushing ??= flushOnce(drain).then(
      () => {
        if (!lastOk) log.warn({ dir: opts.dir }, 'journal flush recovered');
        lastOk = true;
        lastError = null;
        flushing = undefined;
      },
      (err: unknown) => {
        flushing = undefined;
        throw err;
      },
    );
    return flushing;
  }

  function noteFailure(err: unknown): void {
    // One log line per outage, not one per tick.
    if (lastOk) log.error({ err, dir: opts.dir, queued: queue.length - head }, 'journal flush failed; items stay journaled and are retried');
    lastOk = false;
    lastError = err instanceof Error ? err.message : String(err);
  }

  function tick(): void {
    if (flushing) return;
    writeUnwritten();
    if (queue.length === head && !active?.written && !hasRetiredOpen()) return;
    runFlush().catch(noteFailure);
  }

  /** The active segment holds lines, all inserted: an explicit flush rotates and deletes it. */
  function hasUndrainedActive(): boolean {
    return active !== undefined && active.written > 0 && active.pending === 0 && lastOk;
  }

  function hasRetiredOpen(): boolean {
    for (const s of live) if (s.retired && s.fd !== null) return true;
    return false;
  }

  /** Inserts what was queued when called (FIFO), so steady traffic cannot keep it looping. */
  async function flush(): Promise<void> {
    writeUnwritten();
    const target = queuedTotal;
    if (flushing) await flushing.catch(() => undefined);
    do {
      try {
        await runFlush(true);
      } catch (err) {
        noteFailure(err);
        throw err;
      }
    } while (insertedTotal < target || hasUndrainedActive());
  }

  async function recover(): Promise<RecoverResult> {
    const result: RecoverResult = { segments: 0, replayed: 0, skipped: 0 };
    while (leftovers.length > 0) {
      const segment = leftovers[0]!;
      const items = readSegment(segment.path, opts.parse, (line, torn) => {
        result.skipped += 1;
        log.warn({ segment: segment.path, line, torn }, torn ? 'skipped a torn last journal line (never acknowledged)' : 'skipped an unreadable journal line');
      });
      for (let i = 0; i < items.length; i += batchSize) await opts.insert(items.slice(i, i + batchSize));
      unlinkSync(segment.path);
      leftovers.shift();
      result.segments += 1;
      result.replayed += items.length;
    }
    return result;
  }

  async function closeJournal(): Promise<void> {
    closed = true;
    if (timer) clearInterval(timer);
    try {
      await flush();
    } finally {
      if (active) retire(active);
      await syncAndClose();
      deleteDrained();
    }
  }

  return {
    append,
    durable,
    flush,
    recover,
    close: () => (closing ??= closeJournal()),
    stats: () => ({ queued: queue.length - head + unwritten.length, segments: live.size + leftovers.length, lastFlushAt, lastError }),
  };
}

