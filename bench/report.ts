import type { LatencyResult, ThroughputResult, TtftResult } from './jobs.js';
import { median } from './percentile.js';

/**
 * Turns the rounds into the numbers the issue asks for: per-target medians across rounds, and
 * Baimo's ratios to the bare passthrough. Ratios are taken per round (the three targets of a
 * round ran within seconds of each other) and then the median of those is quoted, which keeps
 * drift on a shared machine out of the comparison better than a ratio of overall medians.
 */

export interface RoundSample {
  round: number;
  target: string;
  throughput: ThroughputResult;
  latency: LatencyResult;
  ttft: TtftResult;
  /** Server CPU time per request during the throughput run (Linux only). */
  cpuUsPerRequest?: number;
  /** CPU time per request of the PostgreSQL and Redis processes serving Baimo (BENCH_STORE=postgres). */
  serviceCpuUsPerRequest?: number;
}

export interface TargetSummary {
  target: string;
  rounds: number;
  rps: number;
  cpuUs: number;
  /** PostgreSQL + Redis CPU per request; NaN when not measured (embedded, or not Baimo). */
  serviceCpuUs: number;
  p50: number;
  p99: number;
  ttftP50: number;
  ttftP99: number;
  sentRate: number;
  non2xx: number;
  errors: number;
}

export interface Verdict {
  name: string;
  value: number;
  target: string;
  pass: boolean;
}

export interface Ratios {
  /** (subject − direct) / (passthrough − direct), p50 at the fixed rate. The subject is Baimo or the floor gateway. */
  addedP50Ratio: number;
  passthroughAddedP50Ms: number;
  baimoAddedP50Ms: number;
  /** baimo req/s ÷ passthrough req/s at saturation. */
  throughputRatio: number;
  /** baimo TTFT p50 − passthrough TTFT p50, ms. */
  ttftOverheadMs: number;
  /** baimo ÷ passthrough server CPU per request (informational; no target). */
  cpuRatio: number;
  verdicts: Verdict[];
}

export function summarize(samples: RoundSample[], target: string): TargetSummary {
  const mine = samples.filter((s) => s.target === target);
  const sum = (f: (s: RoundSample) => number) => mine.reduce((a, s) => a + f(s), 0);
  return {
    target,
    rounds: mine.length,
    rps: median(mine.map((s) => s.throughput.rps)),
    cpuUs: median(mine.flatMap((s) => (s.cpuUsPerRequest === undefined ? [] : [s.cpuUsPerRequest]))),
    serviceCpuUs: median(mine.flatMap((s) => (s.serviceCpuUsPerRequest === undefined ? [] : [s.serviceCpuUsPerRequest]))),
    p50: median(mine.map((s) => s.latency.p50)),
    p99: median(mine.map((s) => s.latency.p99)),
    ttftP50: median(mine.map((s) => s.ttft.p50)),
    ttftP99: median(mine.map((s) => s.ttft.p99)),
    sentRate: median(mine.map((s) => s.latency.sentRate)),
    non2xx: sum((s) => s.throughput.non2xx + s.latency.non2xx + s.ttft.non2xx),
    errors: sum((s) => s.throughput.errors + s.latency.errors + s.ttft.errors),
  };
}

/** Ratios of `subject` (Baimo, or the floor gateway) to the passthrough, per round then median. */
export function compare(samples: RoundSample[], subject = 'baimo'): Ratios | undefined {
  const rounds = [...new Set(samples.map((s) => s.round))];
  const per = rounds.flatMap((round) => {
    const get = (t: string) => samples.find((s) => s.round === round && s.target === t);
    const d = get('direct');
    const p = get('passthrough');
    const b = get(subject);
    if (!d || !p || !b) return [];
    return [
      {
        added: (b.latency.p50 - d.latency.p50) / (p.latency.p50 - d.latency.p50),
        pAdded: p.latency.p50 - d.latency.p50,
        bAdded: b.latency.p50 - d.latency.p50,
        rps: b.throughput.rps / p.throughput.rps,
        ttft: b.ttft.p50 - p.ttft.p50,
        cpu: (b.cpuUsPerRequest ?? NaN) / (p.cpuUsPerRequest ?? NaN),
      },
    ];
  });
  if (per.length === 0) return undefined;
  const addedP50Ratio = median(per.map((r) => r.added).filter(Number.isFinite));
  const throughputRatio = median(per.map((r) => r.rps));
  const ttftOverheadMs = median(per.map((r) => r.ttft));
  return {
    addedP50Ratio,
    passthroughAddedP50Ms: median(per.map((r) => r.pAdded)),
    baimoAddedP50Ms: median(per.map((r) => r.bAdded)),
    throughputRatio,
    ttftOverheadMs,
    cpuRatio: median(per.map((r) => r.cpu).filter(Number.isFinite)),
    verdicts: [
      { name: 'added p50 latency vs passthrough', value: addedP50Ratio, target: '≤ 1.3×', pass: addedP50Ratio <= 1.3 },
      { name: 'throughput vs passthrough', value: throughputRatio, target: '≥ 0.75×', pass: throughputRatio >= 0.75 },
      { name: 'streaming TTFT overhead', value: ttftOverheadMs, target: '< 1 ms', pass: ttftOverheadMs < 1 },
    ],
  };
}

export const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** A plain-text table: the first column left-aligned, the others right-aligned, a dashed rule under the header. */
export function alignColumns(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function formatTable(rows: TargetSummary[], opts: { connections: number; rate: number }): string {
  // The services column appears only when PostgreSQL and Redis were measured.
  const services = rows.some((r) => Number.isFinite(r.serviceCpuUs));
  const header = [
    'target',
    `req/s @${opts.connections} conn`,
    'CPU µs/req',
    ...(services ? ['PG+Redis CPU µs/req'] : []),
    `p50 ms @${opts.rate}/s`,
    `p99 ms @${opts.rate}/s`,
    'TTFT p50 ms',
    'TTFT p99 ms',
    'non-2xx',
    'errors',
  ];
  const body = rows.map((r) => [
    r.target,
    fixed(r.rps, 0),
    fixed(r.cpuUs, 0),
    ...(services ? [Number.isFinite(r.serviceCpuUs) ? fixed(r.serviceCpuUs, 0) : '-'] : []),
    fixed(r.p50, 3),
    fixed(r.p99, 3),
    fixed(r.ttftP50, 3),
    fixed(r.ttftP99, 3),
    String(r.non2xx),
    String(r.errors),
  ]);
  return alignColumns(header, body);
}

export function formatRatios(r: Ratios | undefined, name = 'Baimo'): string {
  if (!r) return `${name} was not measured, so there are no ratios (see the error above).`;
  const shown = (v: Verdict) => (v.name.includes('TTFT') ? `${v.value >= 0 ? '+' : ''}${fixed(v.value, 3)} ms` : `${fixed(v.value, 2)}×`);
  return [
    `${name} vs bare passthrough (median of per-round values):`,
    ...r.verdicts.map((v) => `  ${v.name.padEnd(34)} ${shown(v).padStart(10)}   target ${v.target.padEnd(8)} ${v.pass ? 'PASS' : 'MISS'}`),
    `  (p50 added over direct: passthrough ${fixed(r.passthroughAddedP50Ms, 3)} ms,` +
      ` ${name} ${fixed(r.baimoAddedP50Ms, 3)} ms; server CPU per request: ${name} ${fixed(r.cpuRatio, 2)}× the passthrough's)`,
  ].join('\n');
}
