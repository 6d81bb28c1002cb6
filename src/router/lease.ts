import type { DeploymentConfig, ModelConfig, ProviderConfig } from '../config/types.js';
import { BaimoError } from '../protocol/errors.js';
import type { Usage } from '../protocol/chat.js';
import { onFailure, onSuccess, trip, type BreakerPolicy } from './circuit-breaker.js';
import { recordTiming, type DeploymentState } from './deployment-state.js';

/**
 * What happened in one upstream attempt. One record per attempt that reached (or tried to reach)
 * an upstream — the seam where metrics today, and usage metering (issue #3), observe the gateway.
 */
export interface AttemptRecord {
  requestId: string;
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
}

export interface AttemptObserver {
  attemptStarted?(info: { deploymentId: string; provider: string }): void;
  attemptFinished(record: AttemptRecord): void;
}

export interface LeaseOutcome {
  status: number;
  error?: unknown;
  usage?: Usage;
  ttftMs?: number;
}

/**
 * An attempt in flight on one deployment. Created by the attempt loop when it sends; finished
 * exactly once — by the loop on failure, by the caller after the response (non-stream) or when
 * the relayed stream ends. Finishing updates in-flight counts, averages, the circuit and observers.
 */
export class Lease {
  private finished = false;

  constructor(
    readonly requestId: string,
    readonly attempt: number,
    readonly endpoint: AttemptRecord['endpoint'],
    readonly model: ModelConfig,
    readonly deployment: DeploymentConfig,
    readonly provider: ProviderConfig,
    readonly state: DeploymentState,
    readonly stream: boolean,
    private readonly estimatedTokens: number,
    private readonly startedAt: number,
    private readonly deps: { now: () => number; policy: BreakerPolicy; observer: AttemptObserver },
  ) {
    state.inFlight += 1;
    state.requests.add(startedAt, 1);
    state.tokens.add(startedAt, estimatedTokens);
    deps.observer.attemptStarted?.({ deploymentId: deployment.id, provider: provider.name });
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
    const latencyMs = now - this.startedAt;
    if (outcome.usage) {
      // Settle the TPM window on actual usage.
      s.tokens.add(now, outcome.usage.total_tokens - this.estimatedTokens);
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
      requestId: this.requestId,
      attempt: this.attempt,
      endpoint: this.endpoint,
      model: this.model.name,
      deploymentId: this.deployment.id,
      provider: this.provider.name,
      providerKind: this.provider.kind,
      stream: this.stream,
      startedAt: this.startedAt,
      latencyMs,
      ttftMs: outcome.ttftMs,
      status: outcome.status,
      errorCode: BaimoError.is(err) ? err.code : undefined,
      usage: outcome.usage,
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
