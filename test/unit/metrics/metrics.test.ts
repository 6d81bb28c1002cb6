import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { Metrics } from '../../../src/metrics/metrics.js';
import { FastCounter, FastHistogram } from '../../../src/metrics/series.js';
import { registerMeteringJournalMetrics } from '../../../src/metrics/metering-journal.js';
import type { JournalStats } from '../../../src/metering/index.js';
import type { AttemptRecord, DeploymentStates } from '../../../src/router/index.js';
import type { PlatformConfig } from '../../../src/config/types.js';

function metrics(): Metrics {
  const config = { models: [] } as unknown as PlatformConfig;
  return new Metrics({ states: {} as DeploymentStates, config: () => config, now: () => 0 });
}

function attempt(over: Partial<AttemptRecord>): AttemptRecord {
  return {
    requestId: 'r',
    attempt: 1,
    endpoint: 'chat',
    model: 'm',
    deploymentId: 'm#0',
    provider: 'up',
    providerKind: 'openai-compatible',
    stream: false,
    startedAt: 0,
    latencyMs: 10,
    status: 200,
    ...over,
  };
}

/** The value of one sample line, e.g. `baimo_requests_total{…} 12`. */
function sample(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  if (!found) throw new Error(`no sample ${line} in\n${text}`);
  return Number(found.slice(line.length + 1));
}

describe('Metrics', () => {
  it('counts every observation exactly', async () => {
    const m = metrics();
    const n = 2_500;
    for (let i = 0; i < n; i++) {
      m.observeRequest('/v1/chat/completions', 'm', i % 5 === 0 ? 429 : 200, 0.002);
      if (i % 5 === 0) m.attemptFinished(attempt({ status: 429, errorCode: 'rate_limited', ttftMs: 3 }));
      else m.attemptFinished(attempt({ ttftMs: 30, usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } }));
    }
    const { body } = await m.render();
    expect(sample(body, 'baimo_requests_total{route="/v1/chat/completions",model="m",status="200"}')).toBe(2_000);
    expect(sample(body, 'baimo_requests_total{route="/v1/chat/completions",model="m",status="429"}')).toBe(500);
    expect(sample(body, 'baimo_request_duration_seconds_count{route="/v1/chat/completions",model="m"}')).toBe(n);
    expect(sample(body, 'baimo_request_duration_seconds_bucket{le="0.005",route="/v1/chat/completions",model="m"}')).toBe(n);
    expect(sample(body, 'baimo_upstream_attempts_total{deployment="m#0",provider="up",status="200"}')).toBe(2_000);
    expect(sample(body, 'baimo_upstream_errors_total{deployment="m#0",provider="up",code="rate_limited"}')).toBe(500);
    // Time to first token is a success's figure only.
    expect(sample(body, 'baimo_time_to_first_token_seconds_count{model="m",deployment="m#0"}')).toBe(2_000);
    expect(sample(body, 'baimo_time_to_first_token_seconds_sum{model="m",deployment="m#0"}')).toBeCloseTo(60, 6);
    expect(sample(body, 'baimo_tokens_total{model="m",type="prompt"}')).toBe(20_000);
    expect(sample(body, 'baimo_tokens_total{model="m",type="completion"}')).toBe(6_000);
  });

  it('renders its counters and histograms exactly as prom-client renders the same observations', async () => {
    const registry = new Registry();
    const fastCounter = new FastCounter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registry });
    const fastHistogram = new FastHistogram({ name: 'd_seconds', help: 'h', labelNames: ['a'], buckets: [0.1, 0.5, 1], registry });
    const reference = new Registry();
    const counter = new Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registers: [reference] });
    const histogram = new Histogram({ name: 'd_seconds', help: 'h', labelNames: ['a'], buckets: [0.1, 0.5, 1], registers: [reference] });
    const values = [0.05, 0.1, 0.3, 0.5, 0.7, 1, 3, 0.2];
    for (const [i, v] of values.entries()) {
      const a = i % 2 ? 'x' : 'y "quoted"';
      fastCounter.series(a, 'b1').value += i;
      counter.inc({ a, b: 'b1' }, i);
      fastHistogram.observe(fastHistogram.series(a), v);
      histogram.observe({ a }, v);
    }
    expect(await registry.metrics()).toBe(await reference.metrics());
    // Cluster aggregation reads the JSON form; exemplars (which Baimo does not use) aside, it is the same.
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map((m) => ({ ...m, values: m.values.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'exemplar'))) }));
    expect(await registry.getMetricsAsJSON()).toEqual(withoutExemplars(await reference.getMetricsAsJSON()));
  });

  it('counts errors by route and code; a code outside Baimo’s vocabulary is `other`, never a new series', async () => {
    const m = metrics();
    m.observeError('/v1/chat/completions', 'rate_limit_exceeded');
    m.observeError('/v1/chat/completions', 'rate_limit_exceeded');
    m.observeError('/v1/chat/completions', 'Some Vendor Code 42!');
    const { body } = await m.render();
    expect(sample(body, 'baimo_errors_total{route="/v1/chat/completions",code="rate_limit_exceeded"}')).toBe(2);
    expect(sample(body, 'baimo_errors_total{route="/v1/chat/completions",code="other"}')).toBe(1);
  });

  it('a scrape sees the observations made just before it, and a second scrape does not count them again', async () => {
    const m = metrics();
    m.observeRequest('/v1/embeddings', 'e', 200, 0.5);
    const first = (await m.render()).body;
    expect(sample(first, 'baimo_requests_total{route="/v1/embeddings",model="e",status="200"}')).toBe(1);
    expect(sample(first, 'baimo_request_duration_seconds_bucket{le="0.25",route="/v1/embeddings",model="e"}')).toBe(0);
    expect(sample(first, 'baimo_request_duration_seconds_bucket{le="0.5",route="/v1/embeddings",model="e"}')).toBe(1);
    const second = (await m.render()).body;
    expect(sample(second, 'baimo_requests_total{route="/v1/embeddings",model="e",status="200"}')).toBe(1);
    m.observeRequest('/v1/embeddings', 'e', 200, 0.5);
    expect(sample((await m.render()).body, 'baimo_requests_total{route="/v1/embeddings",model="e",status="200"}')).toBe(2);
  });
});

describe('metering journal metrics', () => {
  it('expose each journal’s backlog, segments, flush age and failure state at scrape time', async () => {
    const registry = new Registry();
    let usage: JournalStats = { queued: 5, segments: 2, lastFlushAt: 7_000, lastError: 'database is locked' };
    const logs: JournalStats = { queued: 0, segments: 1, lastFlushAt: null, lastError: null };
    registerMeteringJournalMetrics(registry, { usage_events: () => usage, request_logs: () => logs }, () => 10_000);
    const text = await registry.metrics();
    expect(sample(text, 'baimo_metering_queued{table="usage_events"}')).toBe(5);
    expect(sample(text, 'baimo_metering_queued{table="request_logs"}')).toBe(0);
    expect(sample(text, 'baimo_metering_journal_segments{table="usage_events"}')).toBe(2);
    expect(sample(text, 'baimo_metering_last_flush_age_seconds{table="usage_events"}')).toBe(3);
    expect(text).not.toContain('baimo_metering_last_flush_age_seconds{table="request_logs"}'); // never flushed yet
    expect(sample(text, 'baimo_metering_flush_failing{table="usage_events"}')).toBe(1);
    expect(sample(text, 'baimo_metering_flush_failing{table="request_logs"}')).toBe(0);
    usage = { queued: 0, segments: 1, lastFlushAt: 9_500, lastError: null };
    const later = await registry.metrics();
    expect(sample(later, 'baimo_metering_queued{table="usage_events"}')).toBe(0);
    expect(sample(later, 'baimo_metering_flush_failing{table="usage_events"}')).toBe(0);
    expect(sample(later, 'baimo_metering_last_flush_age_seconds{table="usage_events"}')).toBe(0.5);
  });
});
