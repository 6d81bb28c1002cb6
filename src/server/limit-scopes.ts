import { parseScopeId, periodWindow, scopesForPeriod, type LimitScope } from '../limits/index.js';
import type { UsageQueries } from '../metering/index.js';
import type { KeyPrincipal, Org } from '../tenancy/index.js';

/**
 * The limiter scopes of a tenant — `key:<id>` and `org:<id>`, a monthly budget on its own
 * `…@<yyyy-mm>` scope (limits/budget-period.ts) — and, from such an id, the usage that counts
 * toward it. Built and read back in this one file.
 */

interface CachedScopes {
  /** The scopes hold for calls in [from, until): a month for monthly budgets, else forever. */
  from: number;
  until: number;
  scopes: LimitScope[];
}

/**
 * Scopes of a cached (frozen) principal, built once per principal and month and frozen too, so
 * the limiter can reuse its specs. A hit is two comparisons and allocates nothing; the month
 * turning, or a changed key (a new principal object), builds them anew.
 */
const cache = new WeakMap<KeyPrincipal, CachedScopes>();

export function keyScopes(p: KeyPrincipal, now: number): LimitScope[] {
  const known = cache.get(p);
  if (known && now >= known.from && now < known.until) return known.scopes;
  const { budgetPeriod: keyPeriod, ...keyLimits } = p.limits;
  const { budgetPeriod: orgPeriod, ...orgLimits } = p.orgLimits;
  const keyWindow = periodWindow(keyPeriod, now);
  const orgWindow = periodWindow(orgPeriod, now);
  // A key has no thresholds of its own: its budget alerts at the org's (docs/tenancy.md).
  const keyScope: LimitScope = { id: `key:${p.keyId}`, ...keyLimits };
  if (keyLimits.budget !== undefined) keyScope.budgetAlertThresholds = orgLimits.budgetAlertThresholds;
  const scopes = [
    ...scopesForPeriod(keyScope, keyPeriod, keyWindow),
    ...scopesForPeriod({ id: `org:${p.orgId}`, ...orgLimits }, orgPeriod, orgWindow),
  ];
  if (Object.isFrozen(p) && Object.isFrozen(p.limits) && Object.isFrozen(p.orgLimits)) {
    for (const scope of scopes) Object.freeze(scope);
    Object.freeze(scopes);
    cache.set(p, { from: Math.max(keyWindow.from, orgWindow.from), until: Math.min(keyWindow.until, orgWindow.until), scopes });
  }
  return scopes;
}

export function orgScopes(org: Org, now: number): LimitScope[] {
  const scope: LimitScope = { id: `org:${org.id}`, budgetAlertThresholds: org.budget_alert_thresholds };
  if (org.rpm !== null) scope.rpm = org.rpm;
  if (org.tpm !== null) scope.tpm = org.tpm;
  if (org.max_concurrency !== null) scope.maxConcurrency = org.max_concurrency;
  if (org.budget !== null) scope.budget = org.budget;
  return scopesForPeriod(scope, org.budget_period, periodWindow(org.budget_period, now));
}

/**
 * The limiter's `loadSpent`: metering's total for a scope, over its budget's period (a month,
 * or all time). Pending usage is flushed first so the total includes it.
 */
export function createLoadSpent(deps: { queries: Pick<UsageQueries, 'spentBy'>; flush: () => Promise<void> }): (scopeId: string) => Promise<number> {
  return async (scopeId) => {
    await deps.flush();
    const { kind, id, since, until } = parseScopeId(scopeId);
    return deps.queries.spentBy(kind === 'key' ? { keyId: id } : { orgId: id }, since, until);
  };
}
