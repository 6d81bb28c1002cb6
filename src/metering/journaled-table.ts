import type { z } from 'zod';
import type { Store } from '../store/index.js';
import { createBatchInserter } from './insert-ignoring-duplicates.js';
import { createJournal, type FsyncMode, type JournalStats, type MeteringLog, type RecoverResult } from './journal.js';
import type { MeteringTables } from './tables.js';

/**
 * The durable batched path shared by usage events and request logs: items are journaled
 * synchronously (journal.ts), then inserted into `table` in idempotent batches. What a writer
 * journals (`T`) is checked with `schema` when read back at recovery and turned into a row by
 * `toRow` at insert time.
 */

export interface JournaledTableOptions {
  store: Store;
  /** Usually `<data dir>/journal`; one per process. */
  journalDir: string;
  now: () => number;
  flushIntervalMs?: number;
  batchSize?: number;
  /** 'batch' (default): fsync the journal once per flush tick. kill -9 is safe either way. */
  fsync?: FsyncMode;
  log?: MeteringLog;
}

export interface JournaledTable<T> {
  /** Queue the item; its journal line is written at the end of this turn (see `durable`). */
  append(item: T): void;
  /** Settles once everything appended so far is journaled (survives kill -9); undefined if it already is. */
  durable(): Promise<void> | undefined;
  recover(): Promise<RecoverResult>;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): JournalStats;
}

export function createJournaledTable<T, K extends keyof MeteringTables>(
  opts: JournaledTableOptions,
  spec: { name: string; table: K; schema: z.ZodType<T>; toRow: (item: T) => MeteringTables[K] },
): JournaledTable<T> {
  const insertRows = createBatchInserter(opts.store, spec.table);
  const journal = createJournal<T>({
    dir: opts.journalDir,
    name: spec.name,
    insert: (batch) => insertRows(batch.map(spec.toRow)),
    parse: (value) => {
      const parsed = spec.schema.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    },
    now: opts.now,
    flushIntervalMs: opts.flushIntervalMs,
    batchSize: opts.batchSize,
    fsync: opts.fsync,
    log: opts.log,
  });
  return {
    append: (item) => journal.append(item),
    durable: () => journal.durable(),
    recover: () => journal.recover(),
    flush: () => journal.flush(),
    close: () => journal.close(),
    stats: () => journal.stats(),
  };
}
