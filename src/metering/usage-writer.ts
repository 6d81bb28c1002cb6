import type { JournalStats, RecoverResult } from './journal.js';
import { createJournaledTable, type JournaledTableOptions } from './journaled-table.js';
import { usageEventRow, usageEventSchema, type UsageEvent } from './usage-event.js';

export type UsageWriterOptions = JournaledTableOptions;

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
  const table = createJournaledTable(opts, { name: 'usage', table: 'usage_events', schema: usageEventSchema, toRow: usageEventRow });
  return { ...table, record: (event: UsageEvent) => table.append(event) };
}
