import type { FastifyRequest } from 'fastify';
import type { ModelConfig, PriceConfig } from '../config/types.js';
import type { Admission, BudgetAlert, LimitScope, Limiter } from '../limits/index.js';
import { priceOf, tokensOf } from '../metering/index.js';
import type { Usage } from '../protocol/chat.js';
import { BaimoError, forbidden, invalidRequest, modelNotFound } from '../protocol/errors.js';
import type { CallContext } from '../router/index.js';
import type { Org, Principal, UserPrincipal } from '../tenancy/index.js';
import { keyScopes, orgScopes } from './limit-scopes.js';

/**
 * The tenant side of a model call, around the gateway: which models a key may use, admission
 * by the key's and org's limits (RPM/TPM/concurrency/budget reserved from an estimate), and
 * settlement on the upstream's real usage. The operator's master key is not limited.
 */

export interface CallEstimate {
  inputTokens: number;
  /** Upper bound on output tokens (the request's max_tokens, else the model's output limit). */
  maxOutputTokens: number;
}

export interface CallGuard {
  ctx: CallContext;
  /** x-ratelimit-* headers for the response (empty for the operator). */
  headers: Record<string, string>;
  /** The call produced this usage (or none known): settle reservations on it. Idempotent. */
  settle(usage: Usage | undefined): Promise<void>;
  /** A settlement that failed after the reply (limiter backend down): its lease expires it later. */
  onSettleError(err: unknown): void;
}

export interface CallGuardDeps {
  limiter: Limiter;
  warn: (message: string) => void;
  /** An org's limits, for console users calling on behalf of one of their orgs. */
  getOrg: (orgId: string) => Promise<Org>;
  /** Epoch ms: picks the month a monthly budget is judged in. */
  now: () => number;
  /** A settlement crossed a soft budget threshold (stored and delivered in the background). */
  onBudgetAlert?: (tenant: { orgId: string; keyId?: string }, alert: BudgetAlert) => void;
}

const settleWarners = new WeakMap<CallGuardDeps, (err: unknown) => void>();

/** One warner per deps, not a closure per call. */
function settleWarner(deps: CallGuardDeps): (err: unknown) => void {
  let warn = settleWarners.get(deps);
  if (!warn) {
    warn = (err: unknown) => deps.warn(`limits settlement failed (the reservation expires with its lease): ${err instanceof Error ? err.message : String(err)}`);
    settleWarners.set(deps, warn);
  }
  return warn;
}

/** Roles that may spend an org's budget from the console (viewers only look). */
const SPENDING_ROLES = new Set(['owner', 'admin', 'member']);

/** Output tokens reserved when neither the request nor the model bounds them. */
export const DEFAULT_MAX_OUTPUT_RESERVATION = 4096;

export function principalOf(request: FastifyRequest): Principal {
  return request.principal;
}

/** A key may call a model only if it is published and on the key's allow-list (404 otherwise, as OpenAI does). */
export function assertModelAllowed(principal: Principal, model: string): void {
  if (principal.kind === 'key' && principal.models && !principal.models.includes(model)) throw modelNotFound(model);
}

export function canSeeModel(principal: Principal, model: string): boolean {
  return principal.kind !== 'key' || !principal.models || principal.models.includes(model);
}

/**
 * Synchronous where it can be (the operator; a key whose limiter decides at once, as the memory
 * backend does): every async layer between a route and the limiter cost a promise and a microtask
 * per request. Callers `await` it either way; a refusal thrown here rejects their async function.
 */
export function guardCall(
  deps: CallGuardDeps,
  request: FastifyRequest,
  model: ModelConfig,
  estimate: CallEstimate,
  opts: CallGuardOptions = {},
): CallGuard | Promise<CallGuard> {
  const principal = request.principal;
  const base: CallContext = { requestId: request.id, signal: request.clientAbort };
  const onSettleError = settleWarner(deps);
  if (principal.kind === 'operator') return { ctx: base, headers: {}, settle: async () => {}, onSettleError };
  if (principal.kind === 'key') {
    if (!opts.internal) assertModelAllowed(principal, model.name);
    const tenant = { orgId: principal.orgId, keyId: principal.keyId };
    return admitScopes(deps, { ...base, tenant }, keyScopes(principal, deps.now()), model, estimate, onSettleError);
  }
  // A console user (playground) calls for one of their orgs, under that org's limits.
  const orgId = userOrg(principal, request.headers['x-baimo-org']);
  return deps.getOrg(orgId).then((org) => {
    if (org.disabled) throw forbidden('This organization is disabled.');
    return admitScopes(deps, { ...base, tenant: { orgId: org.id } }, orgScopes(org, deps.now()), model, estimate, onSettleError);
  });
}

function admitScopes(
  deps: CallGuardDeps,
  ctx: CallContext,
  scopes: LimitScope[],
  model: ModelConfig,
  estimate: CallEstimate,
  onSettleError: (err: unknown) => void,
): CallGuard | Promise<CallGuard> {
  const req = { scopes, estimatedTokens: estimate.inputTokens + estimate.maxOutputTokens, estimatedCost: reservationCost(model, estimate) };
  const now = deps.limiter.admitNow?.(req);
  if (now) return guardOf(deps, ctx, model, now, onSettleError);
  return deps.limiter.admit(req).then((admission) => guardOf(deps, ctx, model, admission, onSettleError));
}

/**
 * The estimate's cost at the dearest price the call may be served at (the router may pick any
 * deployment, and a deployment may override its model's price), and at the thinking-mode rate
 * where one is set: the call may think. The safe side.
 */
function reservationCost(model: ModelConfig, estimate: CallEstimate): number {
  const costAt = (price: PriceConfig | undefined) => {
    const thinks = price?.reasoning !== undefined ? estimate.maxOutputTokens : 0;
    return priceOf(price, { inputTokens: estimate.inputTokens, outputTokens: estimate.maxOutputTokens, cachedTokens: 0, reasoningTokens: thinks }).cost;
  };
  let cost = costAt(model.price);
  for (const deployment of model.deployments) if (deployment.price) cost = Math.max(cost, costAt(deployment.price));
  return cost;
}

function guardOf(deps: CallGuardDeps, ctx: CallContext, model: ModelConfig, admission: Admission, onSettleError: (err: unknown) => void): CallGuard {
  let settled = false;
  return {
    ctx,
    headers: admission.headers,
    onSettleError,
    async settle(usage) {
      if (settled) return;
      settled = true;
      if (!usage) {
        await admission.release();
        return;
      }
      // The price metering bills the call at: the deployment that answered, else the model's.
      const price = ctx.servedBy === undefined ? model.price : priceFor(model, ctx.servedBy);
      const { cost } = priceOf(price, tokensOf(usage));
      const result = await admission.settle({ tokens: usage.total_tokens, cost });
      for (const alert of result.alerts) {
        deps.warn(`budget alert: ${alert.scopeId} has spent ${alert.spent} of ${alert.budget} (threshold ${alert.threshold})`);
        if (ctx.tenant) deps.onBudgetAlert?.(ctx.tenant, alert);
      }
    },
  };
}

/** The org a console user calls for: `x-baimo-org`, or their only org; spending roles only. */
export function userOrg(p: UserPrincipal, header: string | string[] | undefined): string {
  const wanted = typeof header === 'string' && header ? header : p.roles.length === 1 ? p.roles[0]!.orgId : undefined;
  if (!wanted) throw invalidRequest('Say which organization to call for: x-baimo-org: <org_id>.', 'x-baimo-org', 'missing_required_parameter');
  const role = p.roles.find((r) => r.orgId === wanted);
  if (!role) throw new BaimoError('not_found', `No organization '${wanted}' is visible to you.`, { status: 404, code: 'not_found', param: 'x-baimo-org' });
  if (!SPENDING_ROLES.has(role.role)) throw forbidden('Viewers cannot call models.');
  return wanted;
}

/** Price used for a deployment's usage (a deployment may override its model's price). */
export function priceFor(model: ModelConfig, deploymentId: string): PriceConfig | undefined {
  return model.deployments.find((d) => d.id === deploymentId)?.price ?? model.price;
}

export interface CallGuardOptions {
  /**
   * A call the platform makes on the caller's behalf (a knowledge base's embedding or rerank
   * model): still limited and billed to the key, but not subject to the key's model allow-list.
   */
  internal?: boolean;
}

/**
 * Admission for background work done for an org (knowledge-base ingestion): the org's limits
 * and budget apply, and usage is metered to it, exactly as for its console users' calls.
 */
export async function guardOrgCall(deps: CallGuardDeps, orgId: string, model: ModelConfig, estimate: CallEstimate, ctx: { requestId: string; signal?: AbortSignal }): Promise<CallGuard> {
  const org = await deps.getOrg(orgId);
  if (org.disabled) throw forbidden('This organization is disabled.');
  const onSettleError = settleWarner(deps);
  return admitScopes(deps, { ...ctx, tenant: { orgId } }, orgScopes(org, deps.now()), model, estimate, onSettleError);
}
