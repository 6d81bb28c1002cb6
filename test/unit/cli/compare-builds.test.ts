import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { median, parseCompareArgs } from '../../../bench/compare-builds.js';
import { tempDir } from '../metering/make-event.js';

/** The in-place A/B tool's command line and its one statistic (docs/benchmarks.md "Comparing builds"). */
describe('bench/compare-builds', () => {
  const build = () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bench'));
    writeFileSync(join(dir, 'bench', 'baimo-server.js'), '');
    return dir;
  };

  it('takes two or more builds and the run settings, with defaults', () => {
    const [a, b] = [build(), build()];
    expect(parseCompareArgs([a, b])).toEqual({ builds: [a, b], runs: 8, seconds: 5, connections: 32, auth: 'tenant', store: 'embedded', nodeArgs: [[], []] });
    expect(parseCompareArgs([a, b, '--runs', '3', '--seconds', '2', '--connections', '4', '--auth', 'master', '--store', 'postgres'])).toMatchObject({ runs: 3, seconds: 2, connections: 4, auth: 'master', store: 'postgres' });
  });

  it('gives node flags to the build a label names, and one build may be given twice', () => {
    const a = build();
    expect(parseCompareArgs([a, a, '--node-args', 'B=--max-semi-space-size=64  --single-threaded-gc']).nodeArgs).toEqual([[], ['--max-semi-space-size=64', '--single-threaded-gc']]);
    expect(() => parseCompareArgs([a, a, '--node-args', 'C=--foo'])).toThrow(/--node-args takes LABEL=FLAGS/);
    expect(() => parseCompareArgs([a, a, '--node-args=--foo'])).toThrow(/--node-args takes LABEL=FLAGS/);
  });

  it('refuses one build, a directory that is not a build, and bad numbers', () => {
    const a = build();
    expect(() => parseCompareArgs([a])).toThrow(/at least two builds/);
    expect(() => parseCompareArgs([a, tempDir()])).toThrow(/is not a build/);
    expect(() => parseCompareArgs([a, build(), '--runs', '0'])).toThrow(/--runs must be a positive integer/);
    expect(() => parseCompareArgs([a, build(), '--auth', 'root'])).toThrow(/--auth must be tenant or master/);
    expect(() => parseCompareArgs([a, build(), '--store', 'mysql'])).toThrow(/--store must be embedded or postgres/);
  });

  it('medians odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
