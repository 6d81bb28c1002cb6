/**
 * Shapes of the server's answers the console reads (admin API, /v1/models, usage, logs).
 *
 * Where the server declares the answer in a small, Node-free file, it is imported from there
 * (type-only: erased, so no server code reaches the bundle) and cannot drift. Those files are
 * imported directly rather than through their module's index.ts, which would pull the module's
 * Node-side code into the console's type-check.
 */

import type { AlertPage, BudgetAlertView } from '../../../src/alerts/views.js';
import type {
  RequestLogDetail as ServerRequestLogDetail,
  RequestLogPage as ServerRequestLogPage,
  RequestLogSummary,
  SeriesGroup as ServerSeriesGroup,
  SeriesPoint,
  UsageGroup as ServerUsageGroup,
  UsageMetrics,
  UsageReport as ServerUsageReport,
  UsageRow as ServerUsageRow,
} from '../../../src/metering/wire-types.js';
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
  cache_write?: number;
  reasoning?: number;
  /** Prices for requests whose input exceeds `above_input_tokens` (ascending). */
  tiers?: (Omit<ModelPrice, 'currency' | 'tiers'> & { above_input_tokens: number })[];
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

// Metering's answers come from src/metering/wire-types.ts, a file with no imports, so the console
// checks against the server's own types without compiling its Node code.

export type UsageGroup = ServerUsageGroup;
/** In the order the usage page offers them. */
export const USAGE_GROUPS: readonly UsageGroup[] = ['model', 'provider', 'org', 'key', 'deployment', 'day', 'hour'];
export type UsageTotals = UsageMetrics;
export type UsageRow = ServerUsageRow;
export type UsageReport = ServerUsageReport;
export type SeriesGroup = ServerSeriesGroup;
export type TimeseriesRow = SeriesPoint;
export type RequestLog = RequestLogSummary;
export type RequestLogDetail = ServerRequestLogDetail;
export type RequestLogPage = ServerRequestLogPage;
