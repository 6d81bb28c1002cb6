import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FastCounter, FastHistogram } from './series.js';
import type { PlatformConfig } from '../config/types.js';
import type { AttemptObserver, AttemptRecord, DeploymentStates } from '../router/index.js';

/** Error codes as Baimo writes them (`rate_limit_exceeded`); anything else is not a label value. */
const ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/** HTTP statuses as label values, made once each rather than per request. */
const statusLabels: string[] = [];
const statusLabel = (status: number): string => (statusLabels[status] ??= String(status));

/**
 * Prometheus metrics through prom-client, on a Registry object created at start (no global
 * default registry, so tests build fresh ones). Also the gateway's attempt observer.
 */
export class Metrics implements AttemptObserver {
  readonly registry = new Registry();
  // The per-request series are FastCounter/FastHistogram (series.ts): prom-client's own
  // inc/observe hash the labels on every call. Rare events keep prom-client's Counter.
  private readonly requests: FastCounter;
  private readonly duration: FastHistogram;
  private readonly ttft: FastHistogram;
  private readonly attempts: FastCounter;
  private readonly upstreamErrors: Counter<'deployment' | 'provider' | 'code'>;
  private readonly tokens: FastCounter;
  private readonly errors: FastCounter;

  constructor(opts: { states: DeploymentStates; config: () => PlatformConfig; now: () => number; defaultMetrics?: boolean }) {
    const registers = [this.registry];
    const registry = this.registry;
    this.requests = new FastCounter({ name: 'baimo_requests_total', help: 'Client requests by route, model and HTTP status.', labelNames: ['route', 'model', 'status'], registry });
    this.duration = new FastHistogram({
      name: 'baimo_request_duration_seconds',
      help: 'Client request latency (to the last byte) by route and model.',
      labelNames: ['route', 'model'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registry,
    });
    this.ttft = new FastHistogram({
      name: 'baimo_time_to_first_token_seconds',
      help: 'Time from sending an upstream attempt to its first streamed event (or full response).',
      labelNames: ['model', 'deployment'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registry,
    });
    this.attempts = new FastCounter({ name: 'baimo_upstream_attempts_total', help: 'Upstream attempts by deployment and outcome status.', labelNames: ['deployment', 'provider', 'status'], registry });
    this.upstreamErrors = new Counter({ name: 'baimo_upstream_errors_total', help: 'Failed upstream attempts by deployment and error code.', labelNames: ['deployment', 'provider', 'code'], registers });
    this.errors = new FastCounter({
      name: 'baimo_errors_total',
      help: 'Errors answered to clients (and errors ending a stream), by route and Baimo error code.',
      labelNames: ['route', 'code'],
      registry,
    });
    this.tokens = new FastCounter({ name: 'baimo_tokens_total', help: 'Tokens reported by upstreams, by model and type (prompt, completion).', labelNames: ['model', 'type'], registry });
    const { states, config, now } = opts;
    const forEachDeployment = (fn: (id: string) => void) => {
      for (const m of config().models) for (const d of m.deployments) fn(d.id);
    };
    new Gauge({
      name: 'baimo_circuit_state',
      help: 'Circuit state per deployment: 0 closed, 1 half-open, 2 open.',
      labelNames: ['deployment'],
      registers,
      collect() {
        this.reset();
        const t = now();
        forEachDeployment((id) => {
          const c = states.get(id).circuit;
          const value = c.state === 'closed' ? 0 : c.state === 'half_open' || t >= c.openUntil ? 1 : 2;
          this.set({ deployment: id }, value);
        });
      },
    });
    new Gauge({
      name: 'baimo_deployment_in_flight',
      help: 'Upstream attempts in flight per deployment.',
      labelNames: ['deployment'],
      registers,
      collect() {
        this.reset();
        forEachDeployment((id) => this.set({ deployment: id }, states.get(id).inFlight));
      },
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'baimo_process_' });
  }

  observeRequest(route: string, model: string, status: number, seconds: number): void {
    this.requests.series(route, model, statusLabel(status)).value += 1;
    this.duration.observe(this.duration.series(route, model), seconds);
  }

  /** An error answered to the client, by its code (codes outside Baimo's vocabulary count as `other`). */
  observeError(route: string, code: string): void {
    this.errors.series(route, ERROR_CODE.test(code) ? code : 'other').value += 1;
  }

  attemptFinished(r: AttemptRecord): void {
    this.attempts.series(r.deploymentId, r.provider, statusLabel(r.status)).value += 1;
    if (r.errorCode) this.upstreamErrors.inc({ deployment: r.deploymentId, provider: r.provider, code: r.errorCode });
    if (r.ttftMs !== undefined && r.status < 400) this.ttft.observe(this.ttft.series(r.model, r.deploymentId), r.ttftMs / 1000);
    if (r.usage) {
      this.tokens.series(r.model, 'prompt').value += r.usage.prompt_tokens;
      this.tokens.series(r.model, 'completion').value += r.usage.completion_tokens;
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
