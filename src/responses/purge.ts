import { startPeriodic } from '../jobs/periodic.js';
import type { ResponseStore } from './response-store.js';

export interface ResponsePurgeOptions {
  responses: ResponseStore;
  /** Between passes (default one hour). The first pass runs right after start. */
  intervalMs?: number;
  log?: (message: string, err?: unknown) => void;
}

export interface ResponsePurge {
  runOnce(): Promise<number>;
  /** Stop the timer and wait for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Background deletion of expired stored responses. Reads already ignore expired rows, so the
 * purge only reclaims space; it runs in bounded batches so a backlog never holds a long lock.
 */
export function startResponsePurge(opts: ResponsePurgeOptions): ResponsePurge {
  const job = startPeriodic(() => opts.responses.purgeExpired(), {
    intervalMs: opts.intervalMs ?? 3_600_000,
    onError: (err) => opts.log?.('stored responses purge failed', err),
  });
  return { runOnce: job.runOnce, stop: job.stop };
}
