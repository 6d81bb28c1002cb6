import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Summarises a V8 `.cpuprofile` (from `BENCH_PROFILE=1 npm run bench`) as the functions with the
 * most self time, and the share of time under each source area (Baimo's src/ modules, fastify,
 * undici, node internals), so a hot-path regression can be located without a profiler UI.
 * Usage: node dist/bench/profile-top.js <file.cpuprofile> [count] [--saturated]
 *
 * A bench profile mixes saturation (throughput runs) with light load (the fixed-rate and TTFT
 * runs), where a request costs more CPU (every write wakes the peer; nothing is batched). Since
 * the saturated share is smaller for a slower server, shares from whole profiles of two servers
 * do not compare. `--saturated` keeps only the 100 ms windows in which the process was at least
 * 70% busy, after start-up, so its shares times the bench's "CPU µs/req" give µs per request.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which part of the system a frame belongs to, for the per-area totals. */
function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const src = /\/(?:src|bench)\/([^/]+)\//.exec(url);
  if (src && !url.includes('node_modules')) return `baimo ${src[1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  return url;
}

export function summariseProfile(profile: Profile, count: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;

  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const key = frameKey(byId.get(id)!);
    fns.set(key, (fns.get(key) ?? 0) + t);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + t);
  }
  const inclusive = totalTimeOf(profile, self, (url) => /\/src\//.test(url) && !url.includes('node_modules'));
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled; shares are of busy time`,
    '',
    'self time by area:',
    ...top(areas, 15).map(([k, t]) => `  ${pct(t)}  ${k}`),
    '',
    `top ${count} functions by self time:`,
    ...top(fns, count).map(([k, t]) => `  ${pct(t)}  ${k}`),
    '',
    `top ${count} Baimo functions by total time (self + callees):`,
    ...top(inclusive, count).map(([k, t]) => `  ${pct(t)}  ${k}`),
  ].join('\n');
}

function frameKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'}  ${url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}`;
}

/**
 * Self plus callees per function, counted once per stack even under recursion or re-entry, so
 * "what does parsing the request cost in all" can be read off directly. Async work continues
 * on new stacks, so time after an `await` is not attributed to the awaiting function.
 */
function totalTimeOf(profile: Profile, self: Map<number, number>, include: (url: string) => boolean): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const walk = (node: ProfileNode, onStack: Set<string>): number => {
    let t = self.get(node.id) ?? 0;
    const key = frameKey(node);
    const counted = include(node.callFrame.url) && !onStack.has(key);
    if (counted) onStack.add(key);
    for (const c of node.children ?? []) t += walk(byId.get(c)!, onStack);
    if (counted) {
      onStack.delete(key);
      totals.set(key, (totals.get(key) ?? 0) + t);
    }
    return t;
  };
  for (const root of profile.nodes.filter((n) => !childIds.has(n.id))) walk(root, new Set());
  return totals;
}

const WINDOW_US = 100_000;

/**
 * The profile with every sample outside saturated windows weighted 0: windows of 100 ms in which
 * the process was busy at least `minBusy` of the time, not counting the busy stretch of start-up
 * (module loading) before the first idle window.
 */
export function saturatedOnly(profile: Profile, minBusy = 0.7): Profile {
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const windowOf: number[] = [];
  const busy = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const w = Math.floor((t - profile.startTime) / WINDOW_US);
    windowOf.push(w);
    if (!idleIds.has(id)) busy.set(w, (busy.get(w) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const last = windowOf.at(-1) ?? 0;
  const saturated = (w: number) => (busy.get(w) ?? 0) >= minBusy * WINDOW_US;
  let firstIdle = 0;
  while (firstIdle <= last && saturated(firstIdle)) firstIdle++;
  return {
    ...profile,
    timeDeltas: profile.timeDeltas.map((d, i) => (windowOf[i]! > firstIdle && saturated(windowOf[i]!) ? d : 0)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const onlySaturated = args.includes('--saturated');
  const [file, count] = args.filter((a) => a !== '--saturated');
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-top.js <file.cpuprofile> [count] [--saturated]\n');
    process.exitCode = 2;
  } else {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    process.stdout.write(`${summariseProfile(onlySaturated ? saturatedOnly(profile) : profile, Number(count ?? 30))}\n`);
  }
}
