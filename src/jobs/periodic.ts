/**
 * A background job that runs right after start and then every `intervalMs`: passes never overlap
 * (a tick during a pass is skipped), timers do not keep the process alive, and `stop()` waits for
 * a pass in progress. Used by the retention purges (request logs, stored responses).
 */
export interface PeriodicJob<T> {
  /** One pass now (joins the pass in progress, if any). */
  runOnce(): Promise<T>;
  /** Stop the timer and wait for a pass in progress to end. */
  stop(): Promise<void>;
  /** True once stop() was called; long passes check it between batches. */
  readonly stopped: boolean;
}

export function startPeriodic<T>(pass: () => Promise<T>, opts: { intervalMs: number; onError: (err: unknown) => void }): PeriodicJob<T> {
  let running: Promise<T> | undefined;
  let stopped = false;

  const runOnce = (): Promise<T> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = () => {
    if (running || stopped) return;
    runOnce().catch(opts.onError);
  };
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, opts.intervalMs);
  first.unref();
  timer.unref();

  return {
    runOnce,
    get stopped() {
      return stopped;
    },
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
