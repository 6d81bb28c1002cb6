import { startPeriodic, type PeriodicJob } from '../jobs/periodic.js';
import type { Store } from '../store/index.js';
import type { MeteringLog } from './journal.js';
import type { MeteringTables } from './tables.js';

export interface RetentionOptions {
  store: Store;
  /** Request logs older than this many days are deleted. Usage events are never purged: billing keeps them. */
  retentionDays: number;
  /** Between purge passes (default one hour). The first pass runs right after start. */
  intervalMs?: number;
  /** Rows per delete statement, so a large backlog never holds a long lock. */
  batchSize?: number;
  now: () => number;
  log?: MeteringLog;
}

export interface RetentionPurge {
  /** One full pass; resolves to the number of rows deleted. */
  runOnce(): Promise<number>;
  /** Stop the timer and wait for a pass in progress to end its current batch. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Background purge of old request logs in bounded batches. */
export function startRetentionPurge(opts: RetentionOptions): RetentionPurge {
  if (!(opts.retentionDays > 0)) throw new Error('retentionDays must be a positive number.');
  const batchSize = opts.batchSize ?? 1000;
  const intervalMs = opts.intervalMs ?? 3_600_000;
  const db = opts.store.db.withTables<MeteringTables>();
  // Declared before the job starts: its first pass runs on the next tick.
  let job: PeriodicJob<number> | undefined;

  async function purge(): Promise<number> {
    const cutoff = opts.now() - opts.retentionDays * DAY_MS;
    let deleted = 0;
    while (!job?.stopped) {
      // Select then delete by id: portable (no DELETE … LIMIT on PostgreSQL) and uses the ts index.
      const ids = (await db.selectFrom('request_logs').select('id').where('ts', '<', cutoff).limit(batchSize).execute()).map((r) => r.id);
      if (ids.length === 0) break;
      await db.deleteFrom('request_logs').where('id', 'in', ids).execute();
      deleted += ids.length;
      if (ids.length < batchSize) break;
    }
    return deleted;
  }

  job = startPeriodic(purge, { intervalMs, onError: (err) => opts.log?.error({ err }, 'request log retention purge failed') });
  return { runOnce: job.runOnce, stop: job.stop };
}
