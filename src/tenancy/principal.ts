import type { BudgetPeriod, Role } from './tables.js';

/**
 * Who is calling, as every surface sees it. The request path (limits, metering, router) reads a
 * `KeyPrincipal`; the admin API also meets operators and console users.
 */

/** Holder of BAIMO_MASTER_KEY: may do everything. */
export interface OperatorPrincipal {
  kind: 'operator';
}

/** Absent = no limit at this level. */
export interface KeyLimits {
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
  /** Billing currency units. */
  budget?: number;
  /** Set only for `monthly`; absent = a lifetime budget. */
  budgetPeriod?: BudgetPeriod;
}

export interface OrgLimits extends KeyLimits {
  /** Fractions of `budget` at which to alert, increasing (e.g. [0.5, 0.8, 0.9]). */
  budgetAlertThresholds: number[];
}

/** A tenant API key, as cached by `authenticateKey`. Frozen: callers share one object. */
export interface KeyPrincipal {
  kind: 'key';
  keyId: string;
  keyName: string;
  orgId: string;
  orgName: string;
  /** Models the key may call; null = every published model. */
  models: readonly string[] | null;
  limits: KeyLimits;
  orgLimits: OrgLimits;
  /** Whether the org asked for request and response bodies to be logged. */
  logBodies: boolean;
}

export interface UserRoleInOrg {
  orgId: string;
  orgName: string;
  role: Role;
}

/** A console user signed in with a session cookie; roles are read fresh on every request. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  name: string;
  sessionId: string;
  roles: readonly UserRoleInOrg[];
}

export type Principal = OperatorPrincipal | KeyPrincipal | UserPrincipal;
