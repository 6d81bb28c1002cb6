import { appendFileSync, copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createJournal, type Journal, type JournalOptions } from '../../../src/metering/index.js';
import { tempDir } from './make-event.js';

interface Item {
  id: string;
  n: number;
}

/** Stands in for the database: keeps one row per id, like the idempotent insert. */
function sink() {
  const rows = new Map<string, Item>();
  const calls: Item[][] = [];
  let failing: Error | undefined;
  return {
    rows,
    calls,
    fail(err: Error | undefined) {
      failing = err;
    },
    insert: async (batch: Item[]) => {
      await Promise.resolve();
      if (failing) throw failing;
      calls.push(batch);
      for (const item of batch) if (!rows.has(item.id)) rows.set(item.id, item);
    },
  };
}

const parse = (v: unknown): Item | undefined => {
  const o = v as Partial<Item> | null;
  return o && typeof o.id === 'string' && typeof o.n === 'number' ? { id: o.id, n: o.n } : undefined;
};

function journal(dir: string, db: ReturnType<typeof sink>, over: Partial<JournalOptions<Item>> = {}): Journal<Item> {
  return createJournal<Item>({ dir, name: 'test', insert: db.insert, parse, now: () => 1, flushIntervalMs: 0, batchSize: 4, ...over });
}

const segments = (dir: string, prefix = 'test-') => readdirSync(dir).filter((f) => f.startsWith(prefix)).sort();
const item = (i: number): Item => ({ id: `r${i}`, n: i });

describe('journal', () => {
  it('writes the lines of one turn together; they are on disk once durable() settles, before any flush', async () => {
    const dir = tempDir();
    const db = sink();
    const j = journal(dir, db);
    expect(j.durable()).toBeUndefined();
    j.append(item(1));
    j.append(item(2));
    expect(segments(dir)).toEqual([]); // nothing written yet: the turn is not over
    const pending = j.durable();
    expect(pending).toBeInstanceOf(Promise);
    expect(j.durable()).toBe(pending); // one write for everyone waiting in this turn
    await pending;
    const files = segments(dir);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0]!), 'utf8')).toBe('{"id":"r1","n":1}\n{"id":"r2","n":2}\n');
    expect(j.durable()).toBeUndefined();
    expect(j.stats().queued).toBe(2);
    expect(db.rows.size).toBe(0);
  });

  it('writes early once a turn has 512 items waiting, without waiting for the turn to end', () => {
    const dir = tempDir();
    const j = journal(dir, sink(), { batchSize: 10_000 });
    for (let i = 1; i <= 512; i++) j.append(item(i));
    const [file] = segments(dir);
    expect(readFileSync(join(dir, file!), 'utf8').split('\n').filter(Boolean)).toHaveLength(512);
    expect(j.durable()).toBeUndefined();
  });

  it('drops an item that cannot be serialised, logs it, and still writes the others', async () => {
    const dir = tempDir();
    const db = sink();
    const error = vi.fn();
    const j = journal(dir, db, { log: { warn: vi.fn(), error } });
    const cyclic = { id: 'bad', n: 0 } as Item & { self?: unknown };
    cyclic.self = cyclic;
    j.append(item(1));
    j.append(cyclic);
    j.append(item(2));
    await j.durable();
    expect(error).toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/could not be serialised/));
    expect(readFileSync(join(dir, segments(dir)[0]!), 'utf8')).toBe('{"id":"r1","n":1}\n{"id":"r2","n":2}\n');
    await j.flush();
    expect([...db.rows.keys()]).toEqual(['r1', 'r2']);
  });

  it('a failed write rejects durable(), and the items still reach the database', async () => {
    const dir = join(tempDir(), 'gone');
    const db = sink();
    const error = vi.fn();
    const j = journal(dir, db, { log: { warn: vi.fn(), error } });
    rmSync(dir, { recursive: true }); // the segment cannot be created
    j.append(item(1));
    await expect(j.durable()).rejects.toThrow(/ENOENT/);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ items: 1 }), expect.stringMatching(/journal write failed/));
    await j.flush();
    expect([...db.rows.keys()]).toEqual(['r1']);
  });

  it('flushes in batches, then deletes the drained segments', async () => {
    const dir = tempDir();
    const db = sink();
    const j = journal(dir, db);
    for (let i = 1; i <= 10; i++) j.append(item(i));
    await j.flush();
    expect(db.rows.size).toBe(10);
    expect(db.calls.every((b) => b.length <= 4)).toBe(true);
    expect(segments(dir)).toEqual([]);
    expect(j.stats()).toMatchObject({ queued: 0, segments: 0 });
  });

  it('after a simulated kill -9, a new journal replays exactly what was not inserted, and the rest idempotently', async () => {
    const dir = tempDir();
    const db = sink();
    const first = journal(dir, db);
    for (let i = 1; i <= 4; i++) first.append(item(i)); // the 4th starts a batch flush
    for (let i = 5; i <= 10; i++) first.append(item(i));
    await vi.waitFor(() => expect(db.rows.size).toBe(4));
    // Crash mid-flush of the rest: the segment was copied before its lines reached the
    // database, so the restart sees a segment whose lines are already in.
    const [live] = segments(dir);
    copyFileSync(join(dir, live!), join(dir, 'copy'));
    await first.flush();
    copyFileSync(join(dir, 'copy'), join(dir, 'test-000000000099.jsonl'));
    first.append(item(11));
    await first.durable(); // journaled, never flushed: the process "dies" here

    const second = journal(dir, db);
    const result = await second.recover();
    expect(result).toMatchObject({ skipped: 0 });
    // The copied segment holds all ten lines (a batch flush does not rotate a young segment), all
    // already inserted: a harmless replay. Plus the one line that never reached the database.
    expect(result.replayed).toBe(11);
    expect([...db.rows.keys()].sort()).toEqual(Array.from({ length: 11 }, (_, i) => `r${i + 1}`).sort());
    expect(segments(dir)).toEqual([]);
  });

  it('skips a torn last line (never acknowledged) and logs it', async () => {
    const dir = tempDir();
    const db = sink();
    const first = journal(dir, db);
    first.append(item(1));
    first.append(item(2));
    await first.durable();
    const [file] = segments(dir);
    appendFileSync(join(dir, file!), '{"id":"r3","n"'); // kill -9 mid-write
    const warn = vi.fn();
    const result = await journal(dir, db, { log: { warn, error: vi.fn() } }).recover();
    expect(result).toEqual({ segments: 1, replayed: 2, skipped: 1 });
    expect([...db.rows.keys()]).toEqual(['r1', 'r2']);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ line: 3, torn: true }), expect.stringMatching(/torn/));
  });

  it('skips an unreadable line in the middle and keeps the lines after it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'test-000000000001.jsonl'), '{"id":"r1","n":1}\nnot json\n{"id":"x"}\n{"id":"r2","n":2}\n');
    const db = sink();
    const warn = vi.fn();
    const result = await journal(dir, db, { log: { warn, error: vi.fn() } }).recover();
    expect(result).toEqual({ segments: 1, replayed: 2, skipped: 2 });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ line: 2, torn: false }), expect.any(String));
  });

  it('keeps items journaled and queued while the database fails, without churning segments', async () => {
    const dir = tempDir();
    const db = sink();
    const error = vi.fn();
    const j = journal(dir, db, { log: { warn: vi.fn(), error } });
    db.fail(new Error('database is down'));
    j.append(item(1));
    await expect(j.flush()).rejects.toThrow('database is down');
    for (let i = 2; i <= 3; i++) {
      j.append(item(i));
      await expect(j.flush()).rejects.toThrow('database is down');
    }
    expect(j.stats()).toMatchObject({ queued: 3, lastError: 'database is down' });
    // The first attempt rotated (it expected to drain); later ones append to one segment.
    expect(segments(dir)).toHaveLength(2);
    expect(error).toHaveBeenCalledTimes(1); // one line per outage
    db.fail(undefined);
    await j.flush();
    await j.flush(); // the segment is rotated out and deleted once the database is back
    expect([...db.rows.keys()]).toEqual(['r1', 'r2', 'r3']);
    expect(j.stats()).toMatchObject({ queued: 0, lastError: null });
    expect(segments(dir)).toEqual([]);
  });

  it('leaves segments in place when recovery cannot insert, for the next start', async () => {
    const dir = tempDir();
    const first = journal(dir, sink());
    first.append(item(1));
    await first.durable();
    const db = sink();
    db.fail(new Error('no database'));
    await expect(journal(dir, db).recover()).rejects.toThrow('no database');
    expect(segments(dir)).toHaveLength(1);
    db.fail(undefined);
    expect((await journal(dir, db).recover()).replayed).toBe(1);
  });

  it('close flushes everything; an append after close is journaled for the next start', async () => {
    const dir = tempDir();
    const db = sink();
    const j = journal(dir, db, { fsync: 'never' });
    for (let i = 1; i <= 6; i++) j.append(item(i));
    await j.close();
    expect(db.rows.size).toBe(6);
    expect(segments(dir)).toEqual([]);
    j.append(item(7)); // a straggler after the drain
    expect(db.rows.size).toBe(6);
    await journal(dir, db).recover();
    expect(db.rows.has('r7')).toBe(true);
  });

  it('flushes on its timer, and rotates out a drained segment once it is old enough', async () => {
    const dir = tempDir();
    const db = sink();
    let now = 1_000;
    const j = journal(dir, db, { flushIntervalMs: 10, fsync: 'batch', now: () => now, rotateAfterMs: 5_000 });
    j.append(item(1));
    await vi.waitFor(() => expect(db.rows.size).toBe(1));
    // Young and small: the timer inserts its lines but keeps appending to the same file.
    await new Promise((r) => setTimeout(r, 50));
    expect(segments(dir)).toHaveLength(1);
    j.append(item(2));
    await vi.waitFor(() => expect(db.rows.size).toBe(2));
    expect(segments(dir)).toHaveLength(1);
    now += 5_000;
    await vi.waitFor(() => expect(segments(dir)).toEqual([]));
    await j.close();
  });

  it('rotates on the timer once the segment reaches rotateBytes', async () => {
    const dir = tempDir();
    const db = sink();
    const j = journal(dir, db, { flushIntervalMs: 10, rotateBytes: 30 });
    j.append(item(1));
    await vi.waitFor(() => expect(db.rows.size).toBe(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(segments(dir)).toHaveLength(1); // 18 bytes: below the threshold
    j.append(item(2));
    await vi.waitFor(() => expect(segments(dir)).toEqual([]));
    expect(db.rows.size).toBe(2);
    await j.close();
  });

  it('rotates a segment that outgrows maxSegmentBytes even while the database is failing', async () => {
    const dir = tempDir();
    const db = sink();
    const j = journal(dir, db, { maxSegmentBytes: 40 });
    db.fail(new Error('down'));
    j.append(item(1));
    await expect(j.flush()).rejects.toThrow();
    j.append(item(2));
    j.append(item(3));
    await expect(j.flush()).rejects.toThrow();
    j.append(item(4));
    expect(segments(dir).length).toBeGreaterThan(1);
    db.fail(undefined);
    await j.close();
    expect(db.rows.size).toBe(4);
    expect(segments(dir)).toEqual([]);
  });

  it('keeps journals of different names apart in one directory', async () => {
    const dir = tempDir();
    const a = sink();
    const b = sink();
    const alpha = journal(dir, a, { name: 'alpha' });
    const beta = journal(dir, b, { name: 'beta' });
    alpha.append(item(1));
    beta.append(item(2));
    await Promise.all([alpha.durable(), beta.durable()]);
    await journal(dir, a, { name: 'alpha' }).recover();
    expect([...a.rows.keys()]).toEqual(['r1']);
    expect(segments(dir, 'beta-')).toHaveLength(1);
  });
});
