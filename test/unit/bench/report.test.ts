import { describe, expect, it } from 'vitest';
import { compare, formatRatios, type RoundSample } from '../../../bench/report.js';

/** The bench's ratios (docs/benchmarks.md "What is measured"), for Baimo and for the floor gateway. */
describe('bench report', () => {
  const sample = (round: number, target: string, rps: number, p50: number, ttft: number, cpu: number): RoundSample => ({
    round,
    target,
    throughput: { rps, ok: rps, non2xx: 0, errors: 0 } as RoundSample['throughput'],
    latency: { p50, p99: p50 * 3, sentRate: 500, non2xx: 0, errors: 0 } as RoundSample['latency'],
    ttft: { p50: ttft, p99: ttft * 3, non2xx: 0, errors: 0 } as RoundSample['ttft'],
    cpuUsPerRequest: cpu,
  });
  const round = (r: number, scale: number) => [
    sample(r, 'direct', 80_000, 0.2, 0.2, 12),
    sample(r, 'passthrough', 12_000, 0.3, 0.3, 60),
    sample(r, 'baimo', 6_000 * scale, 0.2 + 0.3 * scale, 0.6, 120),
    sample(r, 'floor', 10_800, 0.35, 0.32, 66),
  ];

  it('takes ratios per round against the passthrough and quotes their median, for any subject', () => {
    const samples = [...round(0, 1), ...round(1, 1.1), ...round(2, 0.9)];
    const baimo = compare(samples)!;
    expect(baimo.throughputRatio).toBeCloseTo(0.5);
    expect(baimo.addedP50Ratio).toBeCloseTo(3);
    expect(baimo.ttftOverheadMs).toBeCloseTo(0.3);
    expect(baimo.cpuRatio).toBeCloseTo(2);
    expect(baimo.verdicts.map((v) => v.pass)).toEqual([false, false, true]);

    const floor = compare(samples, 'floor')!;
    expect(floor.throughputRatio).toBeCloseTo(0.9);
    expect(floor.addedP50Ratio).toBeCloseTo(1.5);
    expect(floor.verdicts.map((v) => v.pass)).toEqual([false, true, true]);
    expect(formatRatios(floor, 'Floor')).toMatch(/^Floor vs bare passthrough/);
    expect(formatRatios(floor, 'Floor')).toContain('Floor 0.150 ms');
  });

  it('has no ratios for a subject that was not measured', () => {
    expect(compare(round(0, 1).filter((s) => s.target !== 'floor'), 'floor')).toBeUndefined();
    expect(formatRatios(undefined, 'Floor')).toBe('Floor was not measured, so there are no ratios (see the error above).');
  });
});
