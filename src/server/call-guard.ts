import type { FastifyRequest } from 'fastify';
import type { ModelConfig, PriceConfig } from '../config/types.js';
import type { Admission, LimitScope, Limiter } from '../limits/index.js';
import { priceOf, tokensOf } from '../metering/index.js';
import type { Usage } from '../protocol/chat.js';
import { forbidden, modelNotFound } from '../protocol/errors.js';
import type { CallContext } from '../router/index.js';
import type { KeyPrincipal, Principal } from '../tenancy/index.js';

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
}

export interface CallGuardDeps {
  limiter: Limiter;
  warn: (message: string) => void;
}

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

export async function guardCall(
  deps: CallGuardDeps,
  request: FastifyRequest,
  model: ModelConfig,
  estimate: CallEstimate,
): Promise<CallGuard> {
  const principal = request.principal;
  const base: CallContext = { requestId: request.id, signal: request.clientSignal };
  if (principal.kind === 'operator') return { ctx: base, headers: {}, settle: async () => {} };
  if (principal.kind !== 'key') throw forbidden('Model calls need an API key (Authorization: Bearer sk-bm-…); console sessions cannot call models directly.');
  assertModelAllowed(principal, model.name);

  const price = model.price;
  const estimatedCost = priceOf(price, { inputTokens: estimate.inputTokens, outputTokens: estimate.maxOutputTokens, cachedTokens: 0, reasoningTokens: 0 }).cost;
  const admission: Admission = await deps.limiter.admit({
    scopes: scopesOf(principal),
    estimatedTokens: estimate.inputTokens + estimate.maxOutputTokens,
    estimatedCost,
  });
  let settled = false;
  return {
    ctx: { ...base, tenant: { orgId: principal.orgId, keyId: principal.keyId } },
    headers: admission.headers,
    async settle(usage) {
      if (settled) return;
      settled = true;
      if (!usage) {
        await admission.release();
        return;
      }
      const { cost } = priceOf(price, tokensOf(usage));
      const result = await admission.settle({ tokens: usage.total_tokens, cost });
      for (const alert of result.alerts) {
        deps.warn(`budget alert: ${alert.scopeId} has spent ${alert.spent} of ${alert.budget} (threshold ${alert.threshold})`);
      }
    },
  };
}

function scopesOf(p: KeyPrincipal): LimitScope[] {
  return [
    { id: `key:${p.keyId}`, ...p.limits },
    { id: `org:${p.orgId}`, ...p.orgLimits },
  ];
}

/** Price used for a deployment's usage (a deployment may override its model's price). */
export function priceFor(model: ModelConfig, deploymentId: string): PriceConfig | undefined {
  return model.deployments.find((d) => d.id === deploymentId)?.price ?? model.price;
}
