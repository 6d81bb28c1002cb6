import type { Store } from '../store/index.js';
import { createBatchInserter } from './insert-ignoring-duplicates.js';
import { createJournal, type FsyncMode, type JournalStats, type MeteringLog, type RecoverResult } from './journal.js';
import { usageEventRow, usageEventSchema, type UsageEvent } from './usage-event.js';

export interface UsageWriterOptions {
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

export interface UsageWriter {
  /**
   * Journal the event (synchronous write) and queue it. Call before the client's response
   * completes: once this returns, the event survives kill -9. Throws if the journal cannot be
   * written (disk full, permissions).
   */
  record(event: UsageEvent): void;
  /** Replay events a previous run journaled but did not insert. Before accepting traffic. */
  recover(): Promise<RecoverResult>;
  flush(): Promise<void>;
  /** SIGTERM drain: flush everything, then stop. */
  close(): Promise<void>;
  stats(): JournalStats;
}

/** The durable batched usage writer (DESIGN.md §3): at-least-once into the journal, exactly once in the table. */
export function createUsageWriter(opts: UsageWriterOptions): UsageWriter {
  const insertRows = createBatchInserter(opts.store, 'usage_events');
  const journal = createJournal<UsageEvent>({
    dir: opts.journalDir,
    name: 'usage',
    insert: (batch) => insertRows(batch.map(usageEventRow)),
    parse: (value) => {
      const parsed = usageEventSchema.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    },
    now: opts.now,
    flushIntervalMs: opts.flushIntervalMs,
    batchSize: opts.batchSize,
    fsync: opts.fsync,
    log: opts.log,
  });
  return {
    record: (event) => journal.append(event),
    recover: () => journal.recover(),
    flush: () => journal.flush(),
    close: () => journal.close(),
    stats: () => journal.stats(),
  };
}
