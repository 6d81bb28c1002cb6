import type { EChartsCoreOption } from 'echarts/core';
import type { SeriesGroup, TimeseriesRow } from '../../api/types';
import type { TimeWindow } from '../../components/time-range';

/**
 * Time-series rows → ECharts options. Pure functions of their input: the page passes translated
 * labels and formatters in. The time axis covers the whole window, empty buckets included, so a
 * quiet hour shows as zero rather than disappearing.
 */

const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;
const PALETTE = ['#2f5bea', '#13a378', '#e0803a', '#b04fc7', '#d04a5c', '#3aa4c9', '#8a8f2c'];
/** Groups drawn one by one; the rest are summed into "other". */
export const MAX_GROUPS = 5;

export interface Axis {
  /** Bucket start, ms. */
  starts: number[];
  labels: string[];
}

export function axisFor(window: TimeWindow, formatBucket: (ms: number) => string): Axis {
  const size = BUCKET_MS[window.bucket];
  const first = Math.floor(Date.parse(window.from) / size) * size;
  const end = Date.parse(window.to);
  const starts: number[] = [];
  for (let t = first; t < end; t += size) starts.push(t);
  return { starts, labels: starts.map(formatBucket) };
}

export const groupOf = (row: TimeseriesRow, group: SeriesGroup): string => row[group] ?? '';

/** The groups with the most requests, most first. */
export function topGroups(rows: readonly TimeseriesRow[], group: SeriesGroup, n = MAX_GROUPS): string[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(groupOf(row, group), (totals.get(groupOf(row, group)) ?? 0) + row.requests);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name]) => name);
}

function bucketIndex(axis: Axis, bucket: string): number {
  const ms = Date.parse(bucket.length === 10 ? `${bucket}T00:00:00Z` : bucket);
  let lo = 0;
  let hi = axis.starts.length - 1;
  // the last bucket starting at or before `ms`
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (axis.starts[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return axis.starts.length > 0 && axis.starts[lo]! <= ms ? lo : -1;
}

type Metric = (row: TimeseriesRow) => number | null;

/** One series per top group plus "other", each summing `metric` per bucket. */
function sumByGroup(rows: readonly TimeseriesRow[], axis: Axis, group: SeriesGroup, metric: Metric, otherLabel: string, nameOf: (g: string) => string) {
  const top = topGroups(rows, group);
  const series = new Map<string, number[]>(top.map((g) => [g, axis.starts.map(() => 0)]));
  for (const row of rows) {
    const i = bucketIndex(axis, row.bucket);
    if (i < 0) continue;
    const g = top.includes(groupOf(row, group)) ? groupOf(row, group) : otherLabel;
    if (!series.has(g)) series.set(g, axis.starts.map(() => 0));
    series.get(g)![i]! += metric(row) ?? 0;
  }
  return [...series.entries()].map(([g, data]) => ({ name: g === otherLabel ? otherLabel : nameOf(g), data }));
}

function baseOption(axis: Axis, valueFormatter: (v: number) => string): EChartsCoreOption {
  return {
    color: PALETTE,
    animation: false,
    grid: { left: 8, right: 28, top: 36, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? valueFormatter(v) : '—') },
    xAxis: { type: 'category', data: axis.labels, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', axisLabel: { formatter: valueFormatter }, minInterval: 0 },
  };
}

export interface StackInput {
  rows: readonly TimeseriesRow[];
  axis: Axis;
  group: SeriesGroup;
  metric: Metric;
  otherLabel: string;
  nameOf: (g: string) => string;
  format: (v: number) => string;
}

export function stackedBars(input: StackInput): EChartsCoreOption {
  const series = sumByGroup(input.rows, input.axis, input.group, input.metric, input.otherLabel, input.nameOf);
  return { ...baseOption(input.axis, input.format), series: series.map((s) => ({ ...s, type: 'bar', stack: 'total', barMaxWidth: 28 })) };
}

export interface LineSpec {
  name: string;
  data: (number | null)[];
  dashed?: boolean;
}

export function lines(axis: Axis, specs: readonly LineSpec[], format: (v: number) => string): EChartsCoreOption {
  return {
    ...baseOption(axis, format),
    series: specs.map((s) => ({ name: s.name, type: 'line', data: s.data, connectNulls: false, showSymbol: true, symbolSize: 5, lineStyle: s.dashed ? { type: 'dashed' } : undefined })),
  };
}

/** Totals per bucket over every group (tokens, error rate). */
export function totalsPerBucket(rows: readonly TimeseriesRow[], axis: Axis) {
  const make = () => axis.starts.map(() => 0);
  const t = { requests: make(), errors: make(), input: make(), output: make() };
  for (const row of rows) {
    const i = bucketIndex(axis, row.bucket);
    if (i < 0) continue;
    t.requests[i]! += row.requests;
    t.errors[i]! += row.errors;
    t.input[i]! += row.input_tokens;
    t.output[i]! += row.output_tokens;
  }
  return t;
}

export const errorRates = (t: ReturnType<typeof totalsPerBucket>): (number | null)[] => t.requests.map((n, i) => (n > 0 ? t.errors[i]! / n : null));

/** A per-group quantile series (latency, TTFT): one line per top group, null where it had no traffic. */
export function perGroup(rows: readonly TimeseriesRow[], axis: Axis, group: SeriesGroup, pick: Metric, n = 3): { group: string; data: (number | null)[] }[] {
  return topGroups(rows, group, n).map((g) => {
    const data: (number | null)[] = axis.starts.map(() => null);
    for (const row of rows) {
      if (groupOf(row, group) !== g) continue;
      const i = bucketIndex(axis, row.bucket);
      if (i >= 0) data[i] = pick(row);
    }
    return { group: g, data };
  });
}
