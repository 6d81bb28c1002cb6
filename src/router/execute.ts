import type { ModelConfig, ProviderConfig, RoutingConfig } from '../config/types.js';
import { BaimoError, internalError, noDeploymentAvailable } from '../protocol/errors.js';
import type { AbortSignalLike } from '../providers/abort-like.js';
import { ClientAbortError } from '../providers/transport.js';
import { backoffDelay } from './backoff.js';
import { admits, onSend, type BreakerPolicy } from './circuit-breaker.js';
import type { DeploymentStates } from './deployment-state.js';
import { Lease, type AttemptObserver, type AttemptRecord, type LeaseDeps, type TenantRef } from './lease.js';
import { planAttempts } from './plan.js';

/**
 * The attempt loop: walk the plan, send, and on a retryable failure back off and try the next
 * deployment. It knows only "retryable or not" (from the typed error) — the first-byte rule is
 * enforced by callers, whose `attempt` resolves only once nothing has reached the client yet
 * and everything after that is their business.
 */

export interface ExecuteDeps {
  states: DeploymentStates;
  observer: AttemptObserver;
  now: () => number;
  random: () => number;
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
  providerByName: (name: string) => ProviderConfig | undefined;
}

export interface ExecuteRequest {
  requestId: string;
  tenant?: TenantRef;
  endpoint: AttemptRecord['endpoint'];
  model: ModelConfig;
  routing: RoutingConfig;
  stream: boolean;
  estimatedTokens: number;
  signal?: AbortSignalLike;
}

/** `attempt` must either return (committing to this deployment) or throw; it never finishes the lease on throw. */
export type AttemptFn<T> = (lease: Lease) => Promise<T>;

/** The breaker policy of a routing config, and what every lease under it shares: built once per config snapshot. */
const leaseDepsByRouting = new WeakMap<RoutingConfig, WeakMap<ExecuteDeps, LeaseDeps>>();

function leaseDepsFor(deps: ExecuteDeps, routing: RoutingConfig): LeaseDeps {
  let perDeps = leaseDepsByRouting.get(routing);
  if (!perDeps) leaseDepsByRouting.set(routing, (perDeps = new WeakMap()));
  let shared = perDeps.get(deps);
  if (!shared) {
    const policy: BreakerPolicy = {
      failureThreshold: routing.failure_threshold,
      cooldownMs: routing.cooldown_ms,
      maxCooldownMs: Math.max(routing.cooldown_ms, 10 * routing.cooldown_ms),
    };
    perDeps.set(deps, (shared = { now: deps.now, policy, observer: deps.observer }));
  }
  return shared;
}

export async function executeWithFailover<T>(deps: ExecuteDeps, req: ExecuteRequest, attempt: AttemptFn<T>): Promise<T> {
  const { routing, model } = req;
  const leaseDeps = leaseDepsFor(deps, routing);
  const plan = planAttempts({
    model,
    strategy: routing.strategy,
    stateOf: (id) => deps.states.get(id),
    now: deps.now(),
    random: deps.random,
    estimatedTokens: req.estimatedTokens,
  });
  if (plan.order.length === 0) {
    const err = noDeploymentAvailable(model.name);
    const wait = plan.earliestRetryAt !== undefined ? Math.max(1, Math.ceil((plan.earliestRetryAt - deps.now()) / 1000)) : 1;
    throw new BaimoError(err.kind, err.message, { status: err.status, code: err.code, retryable: true, retryAfter: wait });
  }

  const maxAttempts = 1 + routing.retries;
  let lastError: BaimoError | undefined;
  let previousId: string | undefined;
  let sent = 0;
  // Walk the plan round-robin; skipped (cooled-down) deployments do not consume attempts,
  // but the walk is bounded so a plan whose members all cool down mid-request ends.
  for (let step = 0; sent < maxAttempts && step < maxAttempts * plan.order.length; step++) {
    const deployment = plan.order[step % plan.order.length]!;
    const state = deps.states.get(deployment.id);
    const provider = deps.providerByName(deployment.provider);
    if (!provider) continue;
    // A deployment cooled down during this request (e.g. a 429 with retry-after) is worth
    // waiting for only if it comes back within the longest backoff.
    const untilOpen = state.circuit.state === 'open' ? state.circuit.openUntil - deps.now() : 0;
    if (untilOpen > routing.backoff_max_ms) continue;

    if (sent > 0 || untilOpen > 0) {
      const sameDeployment = previousId === deployment.id;
      const backoff = sent > 0 ? backoffDelay(sameDeployment ? sent : 0, routing.backoff_base_ms, routing.backoff_max_ms, deps.random) : 0;
      await deps.sleep(Math.max(backoff, untilOpen), req.signal);
      if (req.signal?.aborted) throw new ClientAbortError();
    }
    if (!admits(state.circuit, deps.now())) continue;

    onSend(state.circuit);
    const lease = new Lease(
      { requestId: req.requestId, tenant: req.tenant, attempt: sent, endpoint: req.endpoint, model, deployment, provider, state,
        stream: req.stream, estimatedTokens: req.estimatedTokens, startedAt: deps.now() },
      leaseDeps,
    );
    sent += 1;
    previousId = deployment.id;
    try {
      return await attempt(lease);
    } catch (err) {
      if (err instanceof ClientAbortError) {
        lease.finish({ status: 499, error: err });
        throw err;
      }
      const typed = BaimoError.is(err) ? err : internalError(err);
      lease.finish({ status: typed.status, error: typed });
      const failsOver = typed.retryable || typed.failure === 'quota' || typed.failure === 'credential' || typed.failure === 'not_found';
      if (!failsOver) throw typed;
      lastError = typed;
    }
  }
  throw lastError ?? noDeploymentAvailable(model.name);
}
