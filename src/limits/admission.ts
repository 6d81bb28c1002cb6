import { toCostMicro, toTokenCount } from './scope-spec.js';
import type { Admission, BudgetAlert, SettleResult } from './types.js';

/** How an admission ends: settled with actual usage, or released with none. */
export type AdmissionEnd = { mode: 'settle'; tokens: number; costMicro: number; now?: number } | { mode: 'release'; now?: number };

export type FinishAdmission = (end: AdmissionEnd) => Promise<BudgetAlert[]>;

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
  return {
    headers,
    settle(actual) {
      if (done) return later();
      const settled = (async () => {
        const tokens = toTokenCount('actual.tokens', actual.tokens);
        const costMicro = toCostMicro('actual.cost', actual.cost);
        return { alerts: await finish({ mode: 'settle', tokens, costMicro, now: actual.now }) };
      })();
      done = settled;
      return settled;
    },
    release(opts) {
      if (done) return later().then(() => undefined);
      const released = finish({ mode: 'release', now: opts?.now }).then(() => undefined);
      done = released;
      return released;
    },
  };
}
