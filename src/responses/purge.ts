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
  let running: Promise<number> | undefined;
  let stopped = false;

  function runOnce(): Promise<number> {
    running ??= opts.responses.purgeExpired().finally(() => {
      running = undefined;
    });
    return running;
  }

  function tick(): void {
    if (running || stopped) return;
    runOnce().catch((err: unknown) => opts.log?.('stored responses purge failed', err));
  }

  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, opts.intervalMs ?? 3_600_000);
  first.unref();
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
