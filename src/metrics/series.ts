import type { Registry } from 'prom-client';

/**
 * Counters and histograms whose request-path cost is an array index and an add, exposed through
 * prom-client's registry (which renders the Prometheus text). prom-client's own `inc`/`observe`
 * validate and hash the label set on every call and key buckets by the bound turned into a
 * string; six such calls per request cost 10–20 µs in the gateway bench. Callers look a series up
 * by its label values (`series(...)`: nested maps, no string built; created at zero the first
 * time) and update its fields directly.
 */

type LabelValues = readonly string[];

interface Sample {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName?: string;
}

interface MetricData {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

/** Series keyed by their label values (up to three), in nested maps: a lookup builds no string. */
class SeriesTable<S> {
  private readonly root = new Map<string, unknown>();
  readonly all: { labels: LabelValues; series: S }[] = [];

  constructor(private readonly depth: 1 | 2 | 3, private readonly make: () => S) {}

  get(a: string, b?: string, c?: string): S {
    let node = this.root;
    if (this.depth > 1) node = this.level(node, a);
    if (this.depth > 2) node = this.level(node, b!);
    const last = this.depth === 1 ? a : this.depth === 2 ? b! : c!;
    let series = node.get(last) as S | undefined;
    if (!series) {
      series = this.make();
      node.set(last, series);
      this.all.push({ labels: [a, b, c].slice(0, this.depth) as string[], series });
    }
    return series;
  }

  private level(node: Map<string, unknown>, key: string): Map<string, unknown> {
    let next = node.get(key) as Map<string, unknown> | undefined;
    if (!next) node.set(key, (next = new Map()));
    return next;
  }
}

abstract class LabelledMetric<S> {
  protected table: SeriesTable<S>;

  constructor(
    readonly name: string,
    readonly help: string,
    protected readonly labelNames: readonly string[],
    private readonly make: () => S,
    registry: Registry,
  ) {
    if (labelNames.length < 1 || labelNames.length > 3) throw new Error(`${name}: one to three labels`);
    this.table = new SeriesTable(labelNames.length as 1 | 2 | 3, make);
    registry.registerMetric(this as never);
  }

  /** The series of these label values, in `labelNames` order (created at zero the first time). */
  series(a: string, b?: string, c?: string): S {
    return this.table.get(a, b, c);
  }

  protected labelsOf(values: LabelValues): Record<string, string> {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
    return labels;
  }

  /** prom-client's Registry calls this to render (and `get` for cluster aggregation). */
  abstract getForPromString(): Promise<MetricData>;

  async get(): Promise<MetricData> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...sharedLabels, ...v.labels } }));
    return data;
  }

  /** Forget every series (prom-client's `registry.resetMetrics()`). */
  reset(): void {
    this.table = new SeriesTable(this.labelNames.length as 1 | 2 | 3, this.make);
  }
}

export interface CounterSeries {
  value: number;
}

export class FastCounter extends LabelledMetric<CounterSeries> {
  readonly type = 'counter';
  readonly aggregator = 'sum';

  constructor(opts: { name: string; help: string; labelNames: readonly string[]; registry: Registry }) {
    super(opts.name, opts.help, opts.labelNames, () => ({ value: 0 }), opts.registry);
  }

  async getForPromString(): Promise<MetricData> {
    const values = this.table.all.map(({ labels, series }) => ({ labels: this.labelsOf(labels), value: series.value }));
    return { name: this.name, help: this.help, type: 'counter', values, aggregator: 'sum' };
  }
}

export interface HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export class FastHistogram extends LabelledMetric<HistogramSeries> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: Float64Array;

  constructor(opts: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[]; registry: Registry }) {
    const bounds = Float64Array.from([...opts.buckets].sort((a, b) => a - b));
    super(opts.name, opts.help, opts.labelNames, () => ({ counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 }), opts.registry);
    this.bounds = bounds;
  }

  observe(series: HistogramSeries, value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    series.counts[i]! += 1;
    series.sum += value;
    series.count += 1;
  }

  async getForPromString(): Promise<MetricData> {
    const values: Sample[] = [];
    for (const { labels, series } of this.table.all) {
      const shared = this.labelsOf(labels);
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += series.counts[i]!;
        values.push({ labels: { le }, sharedLabels: shared, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: shared, value: series.count, metricName: `${this.name}_bucket` });
      values.push({ labels: {}, sharedLabels: shared, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: shared, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }
}
