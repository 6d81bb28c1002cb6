import type { ApiKeyRow, BudgetPeriod, MembershipRow, OrgRow, Role, UserRow } from './tables.js';

/**
 * What tenancy hands out: the admin API shapes (snake_case, ISO 8601 timestamps), produced from
 * rows in one place so the HTTP answer and the function result never drift apart. Secrets
 * (key hash, password hash) have no field here at all.
 */

export interface Org {
  id: string;
  name: string;
  rpm: number | null;
  tpm: number | null;
  max_concurrency: number | null;
  budget: number | null;
  budget_period: BudgetPeriod;
  budget_alert_thresholds: number[];
  log_bodies: boolean;
  disabled: boolean;
  alert_webhook_url: string | null;
  created_at: string;
  updated_at: string;
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
  budget_period: BudgetPeriod;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
}

/** `createKey` and `rotateKey`: the only results that carry the plaintext. */
export interface CreatedKey extends ApiKey {
  key: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  created_at: string;
}

export interface Member {
  org_id: string;
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

export interface OrgRole {
  org_id: string;
  org_name: string;
  role: Role;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function orgView(row: OrgRow): Org {
  return {
    id: row.id,
    name: row.name,
    rpm: row.rpm,
    tpm: row.tpm,
    max_concurrency: row.max_concurrency,
    budget: row.budget,
    budget_period: row.budget_period,
    budget_alert_thresholds: JSON.parse(row.budget_alert_thresholds) as number[],
    log_bodies: row.log_bodies === 1,
    disabled: row.disabled === 1,
    alert_webhook_url: row.alert_webhook_url ? maskedWebhookUrl(row.alert_webhook_url) : null,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function keyView(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    org_id: row.org_id,
    name: row.name,
    prefix: row.prefix,
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    rpm: row.rpm,
    tpm: row.tpm,
    max_concurrency: row.max_concurrency,
    budget: row.budget,
    budget_period: row.budget_period,
    expires_at: isoOrNull(row.expires_at),
    revoked_at: isoOrNull(row.revoked_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_used_at: isoOrNull(row.last_used_at),
  };
}

export function userView(row: Pick<UserRow, 'id' | 'email' | 'name' | 'created_at'>): User {
  return { id: row.id, email: row.email, name: row.name, created_at: iso(row.created_at) };
}

export function memberView(row: MembershipRow & Pick<UserRow, 'email' | 'name'>): Member {
  return { org_id: row.org_id, user_id: row.user_id, email: row.email, name: row.name, role: row.role, created_at: iso(row.created_at) };
}

/**
 * Webhook URLs often carry their credential in the path or query (Slack, Feishu, DingTalk bot
 * URLs), so answers show only where alerts go — `https://hooks.example.com/…` — and the URL is
 * write-only, like an API key; delivery reads it through `Tenancy.alertWebhookUrl`.
 */
export function maskedWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden = (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '' || parsed.username !== '' || parsed.password !== '';
    return hidden ? `${parsed.origin}/…` : parsed.origin;
  } catch {
    return '…';
  }
}
