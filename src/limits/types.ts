/**
 * The limiter contract. Two backends implement it (memory for embedded mode, Redis for scale-out)
 * and one contract suite (test/unit/limits/limiter.contract.ts) holds them to the same behaviour.
 */

/** One set of limits that a request counts against, e.g. its API key or its org. */
export interface LimitScope {
  /** Stable id, namespaced by kind: `key:key_123`, `org:org_9`. */
  id: string;
  /** Requests per minute (integer ≥ 1); absent = unlimited. */
  rpm?: number;
  /** Tokens per minute (integer ≥ 1), reserved from the estimate and settled on actual usage. */
  tpm?: number;
  /** Requests in flight at once (integer ≥ 1). */
  maxConcurrency?: number;
  /** Hard spending cap in billing-currency units (≥ 0). */
  budget?: number;
  /** Soft alert levels as fractions of `budget` (0 < t ≤ 1), e.g. `[0.5, 0.8, 1]`. */
  budgetAlertThresholds?: number[];
  /**
   * Epoch ms the budget's period ends (a monthly scope, see budget-period.ts). A refusal then
   * says when the budget resets and sets `retry-after` to it; memory state is dropped after it.
   */
  budgetResetsAt?: number;
}

export interface AdmitRequest {
  /** Every scope must admit, or none is charged. */
  scopes: LimitScope[];
  /** Upper estimate of prompt + completion tokens; reserved against TPM until settled. */
  estimatedTokens: number;
  /** Upper estimate of the cost in currency units; reserved against budgets until settled. */
  estimatedCost: number;
  /** Epoch ms; overrides the limiter's clock for this call (tests). */
  now?: number;
}

export interface ActualUsage {
  tokens: number;
  cost: number;
  /** Epoch ms; overrides the limiter's clock for this call (tests). */
  now?: number;
}

/** A soft budget threshold that settled spend has crossed; each is reported once. */
export interface BudgetAlert {
  scopeId: string;
  /** The fraction from `budgetAlertThresholds`. */
  threshold: number;
  spent: number;
  budget: number;
}

export interface SettleResult {
  alerts: BudgetAlert[];
}

/** An admitted request. Exactly one of settle/release takes effect; later calls are no-ops. */
export interface Admission {
  /** `x-ratelimit-*` response headers, after this request was counted. */
  readonly headers: Record<string, string>;
  /** Replace the token and cost reservation by actual usage; frees the concurrency slot. */
  settle(actual: ActualUsage): Promise<SettleResult>;
  /** For failures before any usage: frees the slot and returns the token and cost reservation. */
  release(opts?: { now?: number }): Promise<void>;
}

/** What the limiter holds for one scope right now (diagnostics and tests). */
export interface ScopeSnapshot {
  /** Settled spend in currency units; undefined until seeded or loaded. */
  spent: number | undefined;
  /** Cost reserved by admissions not yet settled or released. */
  reserved: number;
  /** Admissions in flight (not settled, released or expired). */
  inFlight: number;
}

export interface Limiter {
  /** Admit a request against all its scopes at once, or throw a 429 `BaimoError` and charge nothing. */
  admit(req: AdmitRequest): Promise<Admission>;
  /**
   * `admit` decided without waiting, where the backend can (the memory backend once every budget's
   * spend is known): the same admission or the same 429, synchronously. Undefined (or absent)
   * when it cannot decide now: call `admit`. Saves the gateway's admission path its promise hops.
   */
  admitNow?(req: AdmitRequest): Admission | undefined;
  /** Settled spend of a scope in currency units (0 when unknown). */
  spent(scopeId: string): Promise<number>;
  /** Set a scope's settled spend if the limiter holds none (the durable total from metering). */
  seedSpent(scopeId: string, amount: number): Promise<void>;
  inspect(scopeId: string, now?: number): Promise<ScopeSnapshot>;
  close(): Promise<void>;
}

/** Options both backends accept. */
export interface LimiterOptions {
  /**
   * Durable spend of a scope (metering's usage sum), called when a budgeted scope is admitted
   * and the limiter holds no spend for it (first use, restart, or an idle Redis key that expired).
   * Without it, an unknown spend must be seeded with `seedSpent` first, or admit fails.
   */
  loadSpent?: (scopeId: string) => Promise<number>;
  /**
   * How long an admission holds its concurrency slot and cost reservation if it is never
   * settled or released (a crashed replica, a lost promise). Default 15 minutes: longer than
   * any request the gateway lets run.
   */
  leaseMs?: number;
  /** `retry-after` for a concurrency refusal: no slot's end can be predicted. Default 1000 ms. */
  concurrencyRetryAfterMs?: number;
}
