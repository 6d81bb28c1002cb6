import { Gauge, type Registry } from 'prom-client';
import type { JournalStats } from '../metering/index.js';

/**
 * The metering journals' backlog, per table (`usage_events`, `request_logs`): what is journaled
 * but not yet in the database, the segment files on disk, and the age of the last successful
 * flush. A growing backlog or an old flush means the database is refusing writes; nothing is lost
 * (the journal holds it), but reports lag until it recovers. Read at scrape time.
 */
export function registerMeteringJournalMetrics(registry: Registry, journals: Record<string, () => JournalStats>, now: () => number): void {
  const registers = [registry];
  const gauge = (name: string, help: string, pick: (s: JournalStats) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['table'],
      registers,
      collect() {
        this.reset();
        for (const [table, stats] of Object.entries(journals)) {
          const value = pick(stats());
          if (value !== undefined) this.set({ table }, value);
        }
      },
    });
  gauge('baimo_metering_queued', 'Metering records journaled but not yet inserted into the database.', (s) => s.queued);
  gauge('baimo_metering_journal_segments', 'Metering journal segment files on disk.', (s) => s.segments);
  gauge('baimo_metering_last_flush_age_seconds', 'Seconds since the metering journal last flushed into the database (absent before the first flush).', (s) =>
    s.lastFlushAt === null ? undefined : Math.max(0, (now() - s.lastFlushAt) / 1000),
  );
  gauge('baimo_metering_flush_failing', '1 while flushes into the database fail (the records stay journaled and are retried), else 0.', (s) => (s.lastError === null ? 0 : 1));
}
