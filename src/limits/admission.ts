import { toCostMicro, toTokenCount } from './scope-spec.js';
import type { Admission, BudgetAlert, SettleResult } from './types.js';

/** How an admission ends: settled with actual usage, or released with none. */
export type AdmissionEnd = { mode: 'settle'; tokens: number; costMicro: number; now?: number } | { mode: 'release'; now?: number };

/** The backend's side of an admission's end; the memory backend answers synchronously. */
export type FinishAdmission = (end: AdmissionEnd) => BudgetAlert[] | Promise<BudgetAlert[]>;

/**
 * The admission both backends hand out. Only the first settle/release reaches the backend: the
 * gateway may call both on some error paths (settle in a stream's finally, release in a catch),
 * and a second decrement would free a concurrency slot that another request holds. If that first
 * call fails (Redis down), the slot and reservation are freed when the lease expires.
 */
export function createAdmission(headers: Record<string, string>, finish: FinishAdmission): Admission {
  let done: Promise<unknown> | undefined;
  const later = async (): Promise<SettleResult> => {
    await done;
    return { alerts: [] };
  };
  // One promise per end, not one per layer: a synchronous finish is wrapped once.
  const end = (run: () => BudgetAlert[] | Promise<BudgetAlert[]>): Promise<BudgetAlert[]> => {
    try {
      const alerts = run();
      return alerts instanceof Promise ? alerts : Promise.resolve(alerts);
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return {
    headers,
    settle(actual) {
      if (done) return later();
      const settled = end(() => {
        const tokens = toTokenCount('actual.tokens', actual.tokens);
        const costMicro = toCostMicro('actual.cost', actual.cost);
        return finish({ mode: 'settle', tokens, costMicro, now: actual.now });
      }).then((alerts) => ({ alerts }));
      done = settled;
      return settled;
    },
    release(opts) {
      if (done) return later().then(() => undefined);
      const released = end(() => finish({ mode: 'release', now: opts?.now })).then(() => undefined);
      done = released;
      return released;
    },
  };
}
