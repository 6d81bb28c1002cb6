import type { LimitScope } from './types.js';

/**
 * Budget periods. The limiter itself has none: a period is part of the budget scope's id
 * (`key:k1@2026-11`), so a new month is a new scope, seeded by `loadSpent` with that month's
 * usage, and its alerts re-arm by themselves. Building and parsing those ids live here together.
 */

/** `total`: a lifetime cap. `monthly`: a cap per calendar month in UTC. */
export type BudgetPeriod = 'total' | 'monthly';

/** The span a set of scopes is valid for: [from, until) in epoch ms, and its label. */
export interface PeriodWindow {
  /** `2026-11` for a month; empty for a lifetime budget. */
  label: string;
  from: number;
  until: number;
}

const FOREVER: PeriodWindow = Object.freeze({ label: '', from: -Infinity, until: Infinity });

/** The calendar month (UTC) that contains `now`. */
export function monthOf(now: number): PeriodWindow {
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return { label: `${year}-${String(month + 1).padStart(2, '0')}`, from: Date.UTC(year, month, 1), until: Date.UTC(year, month + 1, 1) };
}

/** The window a budget of this period is judged in at `now` (a lifetime budget: always the same). */
export function periodWindow(period: BudgetPeriod | undefined, now: number): PeriodWindow {
  return period === 'monthly' ? monthOf(now) : FOREVER;
}

/**
 * The scopes of one principal (`key:k1`, `org:o1`) for a budget period. A lifetime budget keeps
 * one scope. A monthly budget moves to its own `<id>@<yyyy-mm>` scope, and RPM, TPM and
 * concurrency stay on the period-less id: they must not reset, nor lose their state, when the
 * month turns.
 */
export function scopesForPeriod(scope: LimitScope, period: BudgetPeriod | undefined, window: PeriodWindow): LimitScope[] {
  if (period !== 'monthly' || scope.budget === undefined) return [scope];
  const { budget, budgetAlertThresholds, ...rates } = scope;
  const monthly: LimitScope = { id: `${scope.id}@${window.label}`, budget, budgetResetsAt: window.until };
  if (budgetAlertThresholds) monthly.budgetAlertThresholds = budgetAlertThresholds;
  const hasRates = rates.rpm !== undefined || rates.tpm !== undefined || rates.maxConcurrency !== undefined;
  return hasRates ? [rates, monthly] : [monthly];
}

export interface ParsedScopeId {
  /** What precedes the first `:` (`key`, `org`). */
  kind: string;
  /** The rest, without any period (`key_123`). */
  id: string;
  /** Epoch ms a monthly scope's spend counts from; absent for a lifetime scope. */
  since?: number;
  /** Epoch ms it ends (exclusive). */
  until?: number;
}

const MONTH_SUFFIX = /@(\d{4})-(\d{2})$/;

/** The inverse of `scopesForPeriod`'s ids, for `loadSpent`: which usage counts toward a scope. */
export function parseScopeId(scopeId: string): ParsedScopeId {
  const colon = scopeId.indexOf(':');
  const kind = scopeId.slice(0, colon);
  const rest = scopeId.slice(colon + 1);
  const month = MONTH_SUFFIX.exec(rest);
  if (!month) return { kind, id: rest };
  const year = Number(month[1]);
  const index = Number(month[2]) - 1;
  return { kind, id: rest.slice(0, month.index), since: Date.UTC(year, index, 1), until: Date.UTC(year, index + 1, 1) };
}
