/** Shapes of the server's answers the console reads (admin API, /v1/models, usage, logs). */

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

export interface User {
  id: string;
  email: string;
  name: string;
  created_at?: string;
}

export interface OrgRole {
  org_id: string;
  org_name: string;
  role: Role;
}

export type Me = { kind: 'operator' } | { kind: 'user'; user: User; orgs: OrgRole[] } | { kind: 'key'; key: { id: string; name: string }; org: { id: string; name: string } };

export interface Org {
  id: string;
  name: string;
  rpm: number | null;
  tpm: number | null;
  max_concurrency: number | null;
  budget: number | null;
  log_bodies: boolean;
  disabled: boolean;
  created_at: string;
}

export interface Member {
  org_id: string;
  user_id: string;
  email: string;
  name: string;
  role: Role;
}

export interface ApiKey {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  max_concurrency: number | null;
  budget: number | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface CreatedKey extends ApiKey {
  key: string;
}

export interface KeyLimitsInput {
  name: string;
  models?: string[];
  rpm?: number;
  tpm?: number;
  max_concurrency?: number;
  budget?: number;
  expires_at?: string;
}

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

export interface DeploymentHealth {
  id: string;
  model: string;
  provider: string;
  upstream_model: string;
  weight: number;
  priority: number;
  tags: Record<string, string>;
  circuit: 'closed' | 'open' | 'half_open';
  cooldown_remaining_s: number;
  available: boolean;
  in_flight: number;
  successes: number;
  failures: number;
  latency_ms: { p50: number | null; p95: number | null; samples: number };
  ttft_ms_ewma: number | null;
  last_error: { code: string; message: string; at: string } | null;
}

export interface DeploymentTestResult {
  ok: boolean;
  status: number;
  latency_ms: number;
  error?: { code: string; message: string };
}

export type UsageGroup = 'model' | 'provider' | 'org' | 'key' | 'deployment' | 'day' | 'hour';
export const USAGE_GROUPS: readonly UsageGroup[] = ['model', 'provider', 'org', 'key', 'deployment', 'day', 'hour'];

export interface UsageTotals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost: number | null;
  estimated_requests: number;
  unpriced_requests: number;
}

export type UsageRow = UsageTotals & Partial<Record<'model' | 'provider' | 'org_id' | 'key_id' | 'deployment_id' | 'day' | 'hour', string>> & { currency?: string };

export interface UsageReport {
  data: UsageRow[];
  totals: UsageTotals;
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
  cost: number | null;
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
  data: RequestLog[];
  has_more: boolean;
  next_cursor: string | null;
}
