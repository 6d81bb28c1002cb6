/**
 * Shapes of the server's answers the console reads (admin API, /v1/models, usage, logs).
 *
 * Where the server declares the answer in a small, Node-free file, it is imported from there
 * (type-only: erased, so no server code reaches the bundle) and cannot drift. Those files are
 * imported directly rather than through their module's index.ts, which would pull the module's
 * Node-side code into the console's type-check.
 */

import type { AlertPage, BudgetAlertView } from '../../../src/alerts/views.js';
import type { DeploymentHealth } from '../../../src/router/health.js';
import type { BudgetPeriod, Role } from '../../../src/tenancy/tables.js';
import type { ApiKey, CreatedKey, Member, Org, OrgRole, User } from '../../../src/tenancy/views.js';

export type { AlertPage, BudgetAlertView };
export type { ApiKey, BudgetPeriod, CreatedKey, DeploymentHealth, Member, Org, OrgRole, Role, User };

export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['total', 'monthly'];

/** Who `/auth/me` says is signed in; its user carries no `created_at`. */
export type SignedInUser = Omit<User, 'created_at'>;

/** `GET /admin/v1/auth/me`, which tenancy/routes-users.ts builds inline: composed here from the views. */
export type Me = { kind: 'operator' } | { kind: 'user'; user: SignedInUser; orgs: OrgRole[] } | { kind: 'key'; key: { id: string; name: string }; org: { id: string; name: string } };

/**
 * The new-key body the console sends: a subset of tenancy's CreateKeyInput (schemas.ts, which
 * needs Node's Buffer to type-check), pinned to it by test/unit/console/wire-types.test.ts.
 */
export interface KeyLimitsInput {
  name: string;
  models?: string[];
  rpm?: number;
  tpm?: number;
  max_concurrency?: number;
  budget?: number;
  budget_period?: BudgetPeriod;
  expires_at?: string;
}

// Built inline by server/routes/models.ts and catalog.ts, which declare no type (and nothing
// imports server/): these mirror the handlers.

export interface ModelPrice {
  currency: string;
  input: number;
  output: number;
  cached_input?: number;
}

export interface PublishedModel {
  id: string;
  owned_by: string;
  capabilities: string[];
  context_window: number | null;
  max_output_tokens: number | null;
  pricing: ModelPrice | null;
}

export interface CatalogVendor {
  vendor: string;
  kind: string;
  label: string;
  env_key: string | null;
  /** Its models are published (by a key pasted here, an environment variable or baimo.yaml). */
  enabled: boolean;
  /** A key pasted in the console is stored (encrypted) for this vendor. */
  key_stored: boolean;
  models: { name: string; capabilities: string[]; context_window: number | null; price: { input: number; output: number; currency: string } | null }[];
}

export interface DeploymentTestResult {
  ok: boolean;
  status: number;
  latency_ms: number;
  error?: { code: string; message: string };
}

// Metering's answer types (usage-queries.ts, timeseries.ts, log-queries.ts) are restated, not
// imported: every metering file imports the store, whose pg/SQLite/Node typings would then be
// compiled into the console's type-check. test/unit/console/wire-types.test.ts pins each one
// equal to the server's, so a change on either side fails `tsc -p tsconfig.json`.

export type UsageGroup = 'model' | 'provider' | 'org' | 'key' | 'deployment' | 'day' | 'hour';
/** In the order the usage page offers them. */
export const USAGE_GROUPS: readonly UsageGroup[] = ['model', 'provider', 'org', 'key', 'deployment', 'day', 'hour'];

export interface UsageTotals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  /** Null when nothing was priced: unknown is not zero. */
  cost: number | null;
  estimated_requests: number;
  unpriced_requests: number;
}

/** A group field is null where the value is unknown (a call without a key, …). */
export type UsageRow = UsageTotals & Partial<Record<'model' | 'provider' | 'org_id' | 'key_id' | 'deployment_id' | 'day' | 'hour', string | null>> & { currency: string };

export interface UsageReport {
  data: UsageRow[];
  /** With several currencies in range, `cost` is null and `cost_by_currency` is set. */
  totals: UsageTotals & { cost_by_currency?: Record<string, number> };
  /** The one currency of the range, or 'mixed'. */
  currency: string;
}

export type SeriesGroup = 'model' | 'provider' | 'org';

export interface TimeseriesRow {
  bucket: string;
  model?: string;
  provider?: string;
  /** The org's id (null: the operator's own calls). */
  org?: string | null;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  unpriced_requests: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  ttft_p50_ms: number | null;
}

export interface RequestLog {
  id: string;
  created_at: string;
  org_id: string | null;
  key_id: string | null;
  endpoint: string;
  model: string;
  deployment_id: string | null;
  provider: string | null;
  status: number;
  error_code: string | null;
  error_message: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: number | null;
  stream: boolean;
}

export interface RequestLogDetail extends RequestLog {
  request_body: string | null;
  response_body: string | null;
}

export interface RequestLogPage {
  object: 'list';
  data: RequestLog[];
  has_more: boolean;
  next_cursor: string | null;
}
