import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PlatformConfig } from '../config/types.js';
import type { AttemptObserver, AttemptRecord, DeploymentStates } from '../router/index.js';

/** A cached labelled child, or the next level of label values. */
type ChildTree = Map<string | number, unknown>;

/**
 * Prometheus metrics through prom-client, on a Registry object created at start (no global
 * default registry, so tests build fresh ones). Also the gateway's attempt observer.
 */
export class Metrics implements AttemptObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'model' | 'status'>;
  private readonly duration: Histogram<'route' | 'model'>;
  private readonly ttft: Histogram<'model' | 'deployment'>;
  private readonly attempts: Counter<'deployment' | 'provider' | 'status'>;
  private readonly upstreamErrors: Counter<'deployment' | 'provider' | 'code'>;
  private readonly tokens: Counter<'model' | 'type'>;

  constructor(opts: { states: DeploymentStates; config: () => PlatformConfig; now: () => number; defaultMetrics?: boolean }) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'baimo_requests_total', help: 'Client requests by route, model and HTTP status.', labelNames: ['route', 'model', 'status'], registers });
    this.duration = new Histogram({
      name: 'baimo_request_duration_seconds',
      help: 'Client request latency (to the last byte) by route and model.',
      labelNames: ['route', 'model'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.ttft = new Histogram({
      name: 'baimo_time_to_first_token_seconds',
      help: 'Time from sending an upstream attempt to its first streamed event (or full response).',
      labelNames: ['model', 'deployment'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.attempts = new Counter({ name: 'baimo_upstream_attempts_total', help: 'Upstream attempts by deployment and outcome status.', labelNames: ['deployment', 'provider', 'status'], registers });
    this.upstreamErrors = new Counter({ name: 'baimo_upstream_errors_total', help: 'Failed upstream attempts by deployment and error code.', labelNames: ['deployment', 'provider', 'code'], registers });
    this.tokens = new Counter({ name: 'baimo_tokens_total', help: 'Tokens reported by upstreams, by model and type (prompt, completion).', labelNames: ['model', 'type'], registers });
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

  /**
   * Labelled children cached by label values: prom-client hashes labels on every call otherwise.
   * Nested maps keyed by the values themselves (config strings, numbers), so a lookup builds no
   * new string to hash.
   */
  private readonly children = new Map<string, ChildTree>();

  private child<T>(kind: string, make: () => T, ...path: (string | number)[]): T {
    let node = this.children.get(kind);
    if (!node) this.children.set(kind, (node = new Map()));
    const last = path.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(path[i]!) as ChildTree | undefined;
      if (!next) node.set(path[i]!, (next = new Map()));
      node = next;
    }
    let c = node.get(path[last]!) as T | undefined;
    if (!c) {
      c = make();
      node.set(path[last]!, c as never);
    }
    return c;
  }

  observeRequest(route: string, model: string, status: number, seconds: number): void {
    this.child('req', () => this.requests.labels(route, model, String(status)), route, model, status).inc();
    this.child('dur', () => this.duration.labels(route, model), route, model).observe(seconds);
  }

  attemptFinished(r: AttemptRecord): void {
    this.child('att', () => this.attempts.labels(r.deploymentId, r.provider, String(r.status)), r.deploymentId, r.provider, r.status).inc();
    if (r.errorCode) this.upstreamErrors.inc({ deployment: r.deploymentId, provider: r.provider, code: r.errorCode });
    if (r.ttftMs !== undefined && r.status < 400) {
      this.child('ttft', () => this.ttft.labels(r.model, r.deploymentId), r.model, r.deploymentId).observe(r.ttftMs / 1000);
    }
    if (r.usage) {
      this.child('tokp', () => this.tokens.labels(r.model, 'prompt'), r.model).inc(r.usage.prompt_tokens);
      this.child('tokc', () => this.tokens.labels(r.model, 'completion'), r.model).inc(r.usage.completion_tokens);
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
