import type { JournalStats, RecoverResult } from './journal.js';
import { createJournaledTable, type JournaledTableOptions } from './journaled-table.js';
import { usageEventRow, usageEventSchema, type UsageEvent } from './usage-event.js';

export type UsageWriterOptions = JournaledTableOptions;

export interface UsageWriter {
  /**
   * Queue the event; its journal line is written at the end of this event-loop turn, together
   * with the turn's other events. The client's response must not complete before `durable()`
   * settles (the server's send hook and stream relay await it): from then on the event survives
   * kill -9.
   */
  record(event: UsageEvent): void;
  /** Settles once every recorded event is journaled; rejects if the journal could not be written. */
  durable(): Promise<void> | undefined;
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
