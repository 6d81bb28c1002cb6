import { BaimoError } from '../protocol/errors.js';
import type { LimitScope } from './types.js';

/**
 * A scope in the integer units both backends compute in. Money is held as micro-units
 * (1e-6 of a currency unit) so sums never drift the way repeated float additions do, and so the
 * Redis scripts can use exact integer arithmetic (Lua numbers are doubles: exact below 2^53,
 * i.e. budgets up to ~9e9 currency units).
 */
export interface ScopeSpec {
  id: string;
  rpm: number | undefined;
  tpm: number | undefined;
  maxConcurrency: number | undefined;
  budgetMicro: number | undefined;
  budget: number | undefined;
  /** Epoch ms the budget's period ends; undefined for a lifetime budget. */
  budgetResetsAt: number | undefined;
  /** Alert levels in micro-units, keyed by the configured fraction. */
  thresholds: { fraction: number; levelMicro: number }[];
}

export const MICRO = 1_000_000;

export const toMicro = (amount: number): number => Math.round(amount * MICRO);
export const fromMicro = (micro: number): number => micro / MICRO;

/** A bad scope is the caller's bug (tenancy validates limits), so it surfaces as a 500, not a 4xx. */
function misconfigured(message: string): BaimoError {
  return new BaimoError('internal', `Limiter misconfigured: ${message}`, { status: 500, code: 'internal_error' });
}

function positiveInt(scope: string, name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) throw misconfigured(`${scope}.${name} must be an integer ≥ 1, got ${value}`);
  return value;
}

export function toScopeSpec(scope: LimitScope): ScopeSpec {
  if (!scope.id) throw misconfigured('a scope has an empty id');
  const budget = scope.budget;
  if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0)) {
    throw misconfigured(`${scope.id}.budget must be a number ≥ 0, got ${budget}`);
  }
  const budgetMicro = budget === undefined ? undefined : toMicro(budget);
  const resetsAt = scope.budgetResetsAt;
  if (resetsAt !== undefined && !Number.isSafeInteger(resetsAt)) {
    throw misconfigured(`${scope.id}.budgetResetsAt must be epoch milliseconds, got ${resetsAt}`);
  }
  const fractions = [...new Set(scope.budgetAlertThresholds ?? [])].sort((a, b) => a - b);
  for (const t of fractions) {
    if (!(t > 0 && t <= 1)) throw misconfigured(`${scope.id}.budgetAlertThresholds must be fractions in (0, 1], got ${t}`);
  }
  return {
    id: scope.id,
    rpm: positiveInt(scope.id, 'rpm', scope.rpm),
    tpm: positiveInt(scope.id, 'tpm', scope.tpm),
    maxConcurrency: positiveInt(scope.id, 'maxConcurrency', scope.maxConcurrency),
    budgetMicro,
    budget,
    budgetResetsAt: resetsAt,
    thresholds:
      budgetMicro === undefined ? [] : fractions.map((fraction) => ({ fraction, levelMicro: Math.round(fraction * budgetMicro) })),
  };
}

/** Specs of scope lists that cannot change (frozen), built once: a key's scopes repeat on every call. */
const frozenSpecs = new WeakMap<LimitScope[], ScopeSpec[]>();

export function toScopeSpecs(scopes: LimitScope[]): ScopeSpec[] {
  const immutable = isImmutable(scopes);
  if (immutable) {
    const known = frozenSpecs.get(scopes);
    if (known) return known;
  }
  const specs = scopes.map(toScopeSpec);
  const ids = new Set(specs.map((s) => s.id));
  if (ids.size !== specs.length) throw misconfigured('scope ids in one request must be distinct');
  if (immutable) {
    // Shared by every call with these scopes, so nobody may change them.
    for (const spec of specs) {
      for (const threshold of spec.thresholds) Object.freeze(threshold);
      Object.freeze(spec.thresholds);
      Object.freeze(spec);
    }
    Object.freeze(specs);
    frozenSpecs.set(scopes, specs);
  }
  return specs;
}

function isImmutable(scopes: LimitScope[]): boolean {
  if (!Object.isFrozen(scopes)) return false;
  for (const scope of scopes) {
    if (!Object.isFrozen(scope)) return false;
    if (scope.budgetAlertThresholds && !Object.isFrozen(scope.budgetAlertThresholds)) return false;
  }
  return true;
}

/** Estimates round up to whole tokens: a reservation must never be smaller than the request. */
export function toTokenCount(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw misconfigured(`${name} must be a number ≥ 0, got ${value}`);
  return Math.ceil(value);
}

export function toCostMicro(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw misconfigured(`${name} must be a number ≥ 0, got ${value}`);
  return toMicro(value);
}

export function estimateOf(req: { estimatedTokens: number; estimatedCost: number }): { tokens: number; costMicro: number } {
  return { tokens: toTokenCount('estimatedTokens', req.estimatedTokens), costMicro: toCostMicro('estimatedCost', req.estimatedCost) };
}

export { misconfigured };
