import { createAdmission, type AdmissionEnd } from './admission.js';
import { admitWithKnownSpend, type UnknownSpend } from './load-spent.js';
import { leaseOptions } from './options.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { estimateOf, fromMicro, misconfigured, toCostMicro, toScopeSpecs, type ScopeSpec } from './scope-spec.js';
import { charge, drain, emptyBucket, WINDOW_MS, type Bucket } from './token-bucket.js';
import type { Admission, AdmitRequest, BudgetAlert, Limiter, LimiterOptions, ScopeSnapshot } from './types.js';
import { REFUSED, refusalError, toVerdict, type ScopeReading } from './verdict.js';

export interface MemoryLimiterOptions extends LimiterOptions {
  /** Epoch ms. Injected: the limiter never reads the system clock itself. */
  now: () => number;
}

interface Lease {
  expiresAt: number;
  costMicro: number;
}

interface ScopeState {
  requests: Bucket;
  tokens: Bucket;
  /** Undefined until seeded: a budgeted scope is never judged against a guessed spend. */
  spentMicro: number | undefined;
  reservedMicro: number;
  leases: Map<string, Lease>;
  /** No lease expires before this (a lower bound): reads skip the sweep until then. */
  sweepAt: number;
  /** Threshold fraction → the budget (micro) it was reported for; a changed budget re-arms it. */
  alerted: Map<number, number>;
  /** A period scope's end (`budgetResetsAt`); Infinity for scopes that never end. */
  endsAt: number;
}

/**
 * Limits for embedded mode: one process, so plain Maps and synchronous check-then-commit are
 * atomic. No timers: expired leases are swept lazily when their scope is next touched. Scope
 * state is kept — there is one entry per key and org, and the spend it holds is what keeps
 * budgets exact between metering's batched writes — except a period's scope (`key:k1@2026-11`),
 * dropped once its period has ended and its last lease can no longer be live, so months do not
 * pile up in a long-running process.
 */
export function createMemoryLimiter(opts: MemoryLimiterOptions): Limiter {
  const { leaseMs, concurrencyRetryAfterMs } = leaseOptions(opts);
  const scopes = new Map<string, ScopeState>();
  let nextId = 0;
  let closed = false;
  /** No period scope can be dropped before this: admit skips the scan until then. */
  let evictAt = Infinity;

  const stateOf = (id: string): ScopeState => {
    let s = scopes.get(id);
    if (!s) {
      s = {
        requests: emptyBucket(),
        tokens: emptyBucket(),
        spentMicro: undefined,
        reservedMicro: 0,
        leases: new Map(),
        sweepAt: Infinity,
        alerted: new Map(),
        endsAt: Infinity,
      };
      scopes.set(id, s);
    }
    return s;
  };

  /** Marks a period scope's end the first time it is seen with one. */
  const endOf = (spec: ScopeSpec, s: ScopeState): void => {
    if (spec.budgetResetsAt === undefined || s.endsAt === spec.budgetResetsAt) return;
    s.endsAt = spec.budgetResetsAt;
    evictAt = Math.min(evictAt, s.endsAt + leaseMs);
  };

  /** Drops period scopes whose period ended more than a lease ago: nothing live refers to them. */
  const evictEnded = (now: number): void => {
    let next = Infinity;
    for (const [id, s] of scopes) {
      const dropAt = s.endsAt + leaseMs;
      if (dropAt <= now) scopes.delete(id);
      else if (dropAt < next) next = dropAt;
    }
    evictAt = next;
  };

  const sweep = (s: ScopeState, now: number): void => {
    // Every read sweeps; walking all leases each time cost O(requests in flight) per admission.
    if (s.sweepAt > now) return;
    let next = Infinity;
    for (const [id, lease] of s.leases) {
      if (lease.expiresAt <= now) {
        s.reservedMicro -= lease.costMicro;
        s.leases.delete(id);
      } else if (lease.expiresAt < next) {
        next = lease.expiresAt;
      }
    }
    s.sweepAt = next;
  };

  const read = (spec: ScopeSpec, s: ScopeState, est: { tokens: number; costMicro: number }, now: number): ScopeReading => {
    sweep(s, now);
    const requestsDebt = spec.rpm === undefined ? 0 : drain(s.requests, spec.rpm, now);
    const tokensDebt = spec.tpm === undefined ? 0 : drain(s.tokens, spec.tpm, now);
    let refused = 0;
    if (spec.budgetMicro !== undefined) {
      const spent = s.spentMicro ?? 0;
      if (spent >= spec.budgetMicro || spent + s.reservedMicro + est.costMicro > spec.budgetMicro) refused |= REFUSED.budget;
    }
    if (spec.tpm !== undefined) {
      if (est.tokens > spec.tpm) refused |= REFUSED.tooLarge;
      else if (tokensDebt + est.tokens * WINDOW_MS > spec.tpm * WINDOW_MS) refused |= REFUSED.tokens;
    }
    if (spec.maxConcurrency !== undefined && s.leases.size >= spec.maxConcurrency) refused |= REFUSED.concurrency;
    if (spec.rpm !== undefined && requestsDebt + WINDOW_MS > spec.rpm * WINDOW_MS) refused |= REFUSED.requests;
    return { refused, requestsDebt, tokensDebt, spentMicro: s.spentMicro, reservedMicro: s.reservedMicro, inFlight: s.leases.size };
  };

  const commit = (spec: ScopeSpec, s: ScopeState, est: { tokens: number; costMicro: number }, id: string, now: number): void => {
    if (spec.rpm !== undefined) s.requests = charge(s.requests, spec.rpm, now, 1);
    if (spec.tpm !== undefined && est.tokens > 0) s.tokens = charge(s.tokens, spec.tpm, now, est.tokens);
    const costMicro = spec.budgetMicro !== undefined ? est.costMicro : 0;
    const expiresAt = now + leaseMs;
    s.leases.set(id, { expiresAt, costMicro });
    if (expiresAt < s.sweepAt) s.sweepAt = expiresAt;
    s.reservedMicro += costMicro;
  };

  /** What `read` would return right after `commit` at the same instant, without reading again. */
  const committed = (spec: ScopeSpec, r: ScopeReading, est: { tokens: number; costMicro: number }): ScopeReading => ({
    refused: 0,
    requestsDebt: spec.rpm === undefined ? 0 : r.requestsDebt + WINDOW_MS,
    tokensDebt: spec.tpm !== undefined && est.tokens > 0 ? r.tokensDebt + est.tokens * WINDOW_MS : r.tokensDebt,
    spentMicro: r.spentMicro,
    reservedMicro: r.reservedMicro + (spec.budgetMicro !== undefined ? est.costMicro : 0),
    inFlight: r.inFlight + 1,
  });

  const finish = (specs: ScopeSpec[], id: string, estTokens: number, end: AdmissionEnd): BudgetAlert[] => {
    const now = end.now ?? opts.now();
    const alerts: BudgetAlert[] = [];
    const tokenDelta = (end.mode === 'settle' ? end.tokens : 0) - estTokens;
    // Indexed loops: specs and thresholds are frozen arrays, which for…of walked with an iterator
    // object per step here (the bench's allocation profile).
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      const s = stateOf(spec.id);
      endOf(spec, s);
      const lease = s.leases.get(id);
      if (lease) {
        s.reservedMicro -= lease.costMicro;
        s.leases.delete(id);
      }
      if (spec.tpm !== undefined && tokenDelta !== 0) s.tokens = charge(s.tokens, spec.tpm, now, tokenDelta);
      if (end.mode !== 'settle' || s.spentMicro === undefined) continue;
      s.spentMicro += end.costMicro;
      if (spec.budgetMicro === undefined) continue;
      for (let t = 0; t < spec.thresholds.length; t++) {
        const { fraction, levelMicro } = spec.thresholds[t]!;
        if (s.spentMicro >= levelMicro && s.alerted.get(fraction) !== spec.budgetMicro) {
          s.alerted.set(fraction, spec.budgetMicro);
          alerts.push({ scopeId: spec.id, threshold: fraction, spent: fromMicro(s.spentMicro), budget: spec.budget! });
        }
      }
    }
    return alerts;
  };

  const attempt = (specs: ScopeSpec[], est: { tokens: number; costMicro: number }, at: number | undefined): Admission | UnknownSpend => {
    // From here to the return nothing awaits: the check and the commit see one state.
    const now = at ?? opts.now();
    if (now >= evictAt) evictEnded(now);
    let unknownSpend: string[] | undefined;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      if (spec.budgetMicro !== undefined && stateOf(spec.id).spentMicro === undefined) (unknownSpend ??= []).push(spec.id);
    }
    if (unknownSpend) return { unknownSpend };
    const readings = specs.map((spec) => {
      const s = stateOf(spec.id);
      endOf(spec, s);
      return read(spec, s, est, now);
    });
    // Verdicts (gauges, messages) only for a refusal: an admitted call needs just the ones after the commit.
    if (readings.some((r) => r.refused !== 0)) throw refusalError(specs.map((spec, i) => toVerdict(spec, readings[i]!)), est, concurrencyRetryAfterMs, now)!;
    const id = `adm_${++nextId}`;
    specs.forEach((spec) => commit(spec, stateOf(spec.id), est, id, now));
    // The headers show the state after the commit, which is the reading plus what was committed.
    const after = specs.map((spec, i) => toVerdict(spec, committed(spec, readings[i]!, est)));
    return createAdmission(rateLimitHeaders(after), (end) => finish(specs, id, est.tokens, end));
  };

  const seedSpent = async (scopeId: string, amount: number): Promise<void> => {
    const s = stateOf(scopeId);
    if (s.spentMicro === undefined) s.spentMicro = toCostMicro('seedSpent amount', amount);
  };

  return {
    admitNow(req: AdmitRequest): Admission | undefined {
      if (closed) throw misconfigured('admit() after close()');
      const result = attempt(toScopeSpecs(req.scopes), estimateOf(req), req.now);
      return 'unknownSpend' in result ? undefined : result;
    },

    async admit(req: AdmitRequest): Promise<Admission> {
      if (closed) throw misconfigured('admit() after close()');
      const specs = toScopeSpecs(req.scopes);
      const est = estimateOf(req);
      // Synchronous when every budget's spend is known, as it is after a scope's first call.
      const first = attempt(specs, est, req.now);
      if (!('unknownSpend' in first)) return first;
      return admitWithKnownSpend(async () => attempt(specs, est, req.now), opts.loadSpent, seedSpent);
    },

    async spent(scopeId) {
      return fromMicro(scopes.get(scopeId)?.spentMicro ?? 0);
    },

    seedSpent,

    async inspect(scopeId, now): Promise<ScopeSnapshot> {
      const s = scopes.get(scopeId);
      if (!s) return { spent: undefined, reserved: 0, inFlight: 0 };
      const at = now ?? opts.now();
      const live = [...s.leases.values()].filter((lease) => lease.expiresAt > at);
      const reservedMicro = live.reduce((sum, lease) => sum + lease.costMicro, 0);
      const spent = s.spentMicro === undefined ? undefined : fromMicro(s.spentMicro);
      return { spent, reserved: fromMicro(reservedMicro), inFlight: live.length };
    },

    async close() {
      closed = true;
    },
  };
}
