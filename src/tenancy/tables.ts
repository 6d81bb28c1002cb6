import type { Kysely } from 'kysely';

/**
 * The rows tenancy owns (house rule 2: nobody else reads or writes them). Timestamps are epoch
 * milliseconds, booleans 0/1 and JSON is text, so one schema serves SQLite and PostgreSQL.
 */

export interface OrgRow {
  id: string;
  name: string;
  rpm: number | null;
  tpm: number | null;
  max_concurrency: number | null;
  /** Billing currency units; null = no budget. */
  budget: number | null;
  budget_period: BudgetPeriod;
  /** JSON array of fractions of the budget, e.g. `[0.5,0.8,0.9]`. */
  budget_alert_thresholds: string;
  log_bodies: number;
  disabled: number;
  /** Where budget alerts are POSTed (http or https); null = stored and listed only. */
  alert_webhook_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface UserRow {
  id: string;
  /** Stored lower-cased: lookups and the unique index are case-insensitive by construction. */
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
}

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

/** `total`: the budget is a lifetime cap. `monthly`: it starts afresh each calendar month (UTC). */
export type BudgetPeriod = 'total' | 'monthly';

export interface MembershipRow {
  org_id: string;
  user_id: string;
  role: Role;
  created_at: number;
}

export interface SessionRow {
  /** SHA-256 of the cookie token: a database leak does not hand out live sessions. */
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface ApiKeyRow {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  /** HMAC-SHA256 of the plaintext, hex. */
  hash: string;
  /** JSON array of model names; null = every model. */
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  max_concurrency: number | null;
  budget: number | null;
  budget_period: BudgetPeriod;
  expires_at: number | null;
  revoked_at: number | null;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
}

export interface ProviderCredentialRow {
  id: string;
  provider: string;
  ciphertext: string;
  iv: string;
  tag: string;
  created_at: number;
  updated_at: number;
}

/**
 * One row, bumped in the same transaction as every change that affects key authentication.
 * Replicas poll it to notice changes they missed on Redis (see change-feed.ts for why a counter
 * and not `max(updated_at)`).
 */
export interface TenancyVersionRow {
  id: string;
  version: number;
}

// A type alias, not an interface: Kysely's withTables<T>() needs T to be indexable.
export type TenancyTables = {
  orgs: OrgRow;
  users: UserRow;
  memberships: MembershipRow;
  sessions: SessionRow;
  api_keys: ApiKeyRow;
  provider_credentials: ProviderCredentialRow;
  tenancy_version: TenancyVersionRow;
};

export type TenancyDb = Kysely<TenancyTables>;
