import type { DeploymentConfig, ModelConfig, ProviderConfig } from '../config/types.js';
import { BaimoError } from '../protocol/errors.js';
import type { Usage } from '../protocol/chat.js';
import { onFailure, onSuccess, trip, type BreakerPolicy } from './circuit-breaker.js';
import { recordTiming, type DeploymentState } from './deployment-state.js';

/**
 * What happened in one upstream attempt. One record per attempt that reached (or tried to reach)
 * an upstream — the seam where metrics today, and usage metering (issue #3), observe the gateway.
 */
/** Who a request is for; absent for the platform operator's own calls. */
export interface TenantRef {
  orgId: string;
  keyId?: string;
}

export interface AttemptRecord {
  requestId: string;
  tenant?: TenantRef;
  attempt: number;
  endpoint: 'chat' | 'completions' | 'embeddings' | 'rerank';
  model: string;
  deploymentId: string;
  provider: string;
  providerKind: string;
  stream: boolean;
  startedAt: number;
  latencyMs: number;
  /** Time to first streamed event (streams) or to the full response (non-stream). */
  ttftMs?: number;
  /** HTTP-like outcome: 200, or the mapped error status. 499 = client went away. */
  status: number;
  errorCode?: string;
  /** Usage as the upstream reported it; undefined when it reported none. */
  usage?: Usage;
  /** `usage` is an adapter's estimate, not the upstream's count. */
  usageEstimated?: boolean;
}

export interface AttemptObserver {
  attemptStarted?(info: { deploymentId: string; provider: string }): void;
  attemptFinished(record: AttemptRecord): void;
}

export interface LeaseOutcome {
  status: number;
  error?: unknown;
  usage?: Usage;
  /** `usage` is the adapter's estimate: the upstream reported none (metering flags the event). */
  usageEstimated?: boolean;
  ttftMs?: number;
}

/**
 * An attempt in flight on one deployment. Created by the attempt loop when it sends; finished
 * exactly once — by the loop on failure, by the caller after the response (non-stream) or when
 * the relayed stream ends. Finishing updates in-flight counts, averages, the circuit and observers.
 */
export interface LeaseInfo {
  requestId: string;
  tenant?: TenantRef;
  attempt: number;
  endpoint: AttemptRecord['endpoint'];
  model: ModelConfig;
  deployment: DeploymentConfig;
  provider: ProviderConfig;
  state: DeploymentState;
  stream: boolean;
  estimatedTokens: number;
  startedAt: number;
}

/** What every lease of one config snapshot shares (built once, not per attempt). */
export interface LeaseDeps {
  now: () => number;
  policy: BreakerPolicy;
  observer: AttemptObserver;
}

export class Lease {
  private finished = false;
  readonly model: ModelConfig;
  readonly deployment: DeploymentConfig;
  readonly provider: ProviderConfig;
  readonly state: DeploymentState;

  constructor(
    private readonly info: LeaseInfo,
    private readonly deps: LeaseDeps,
  ) {
    this.model = info.model;
    this.deployment = info.deployment;
    this.provider = info.provider;
    this.state = info.state;
    info.state.inFlight += 1;
    info.state.requests.add(info.startedAt, 1);
    info.state.tokens.add(info.startedAt, info.estimatedTokens);
    deps.observer.attemptStarted?.({ deploymentId: info.deployment.id, provider: info.provider.name });
  }

  get isFinished(): boolean {
    return this.finished;
  }

  finish(outcome: LeaseOutcome): void {
    if (this.finished) return;
    this.finished = true;
    const now = this.deps.now();
    const s = this.state;
    s.inFlight -= 1;
    const { info } = this;
    const latencyMs = now - info.startedAt;
    if (outcome.usage) {
      // Settle the TPM window on actual usage.
      s.tokens.add(now, outcome.usage.total_tokens - info.estimatedTokens);
    }
    const err = outcome.error;
    if (BaimoError.is(err)) {
      s.lastError = { code: err.code, message: err.message, at: now };
      this.judge(err, now);
    } else if (outcome.status < 400) {
      s.successes += 1;
      onSuccess(s.circuit);
      recordTiming(s, latencyMs, outcome.ttftMs);
    }
    this.deps.observer.attemptFinished({
      requestId: info.requestId,
      tenant: info.tenant,
      attempt: info.attempt,
      endpoint: info.endpoint,
      model: info.model.name,
      deploymentId: info.deployment.id,
      provider: info.provider.name,
      providerKind: info.provider.kind,
      stream: info.stream,
      startedAt: info.startedAt,
      latencyMs,
      ttftMs: outcome.ttftMs,
      status: outcome.status,
      errorCode: BaimoError.is(err) ? err.code : undefined,
      usage: outcome.usage,
      usageEstimated: outcome.usageEstimated,
    });
  }

  /** What the failure says about the deployment (CATALOG.md Appendix B). */
  private judge(err: BaimoError, now: number): void {
    const s = this.state;
    const policy = this.deps.policy;
    switch (err.failure) {
      case undefined:
      case 'caller':
        return; // the request was bad, not the deployment
      case 'rate_limited':
        s.failures += 1;
        trip(s.circuit, now, (err.retryAfter ?? policy.cooldownMs / 1000) * 1000);
        return;
      case 'quota':
      case 'credential':
      case 'not_found':
        // Waiting will not fix these soon: keep the deployment out for long.
        s.failures += 1;
        trip(s.circuit, now, policy.maxCooldownMs);
        return;
      case 'transient':
        s.failures += 1;
        onFailure(s.circuit, now, policy);
        return;
    }
  }
}
