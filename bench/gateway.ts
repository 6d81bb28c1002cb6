import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from 'undici';
import { prepareBackingStore, type BackingStore } from './backing-store.js';
import type { LatencyResult, Target, ThroughputResult, TtftResult } from './jobs.js';
import { describeMode, parseAuth, parseStore, type BenchAuth, type BenchStore } from './modes.js';
import { SERVE_NODE_FLAGS } from '../src/cli/node-flags.js';
import { cpuTimeMs, detectPinning, startLoadGenerator, startServerProcess, type LoadGenerator, type Pinning, type ServerProcess } from './processes.js';
import { compare, formatRatios, formatTable, summarize, type RoundSample } from './report.js';

/**
 * `npm run bench`: Baimo's overhead against a bare Node passthrough, both in front of the same
 * mock upstream, measured in one run with the targets interleaved so that a noisy neighbour hits
 * all of them alike. Prints a table and Baimo's ratios to the passthrough; never fails on a
 * missed target (performance is reported, not asserted). Knobs are documented in docs/benchmarks.md.
 */

interface Settings {
  rounds: number;
  seconds: number;
  connections: number;
  rate: number;
  streams: number;
  profile: boolean;
  out: string;
  /** How the load generator authenticates to Baimo (BENCH_AUTH). */
  auth: BenchAuth;
  /** Where Baimo keeps its state (BENCH_STORE). */
  store: BenchStore;
  /** Node flags for both proxies (BENCH_NODE_FLAGS; default: what `npm start` gives Baimo). */
  nodeFlags: string[];
  /** Also measure the floor gateway (bench/floor-gateway.ts); BENCH_FLOOR=0 leaves it out. */
  floor: boolean;
}

function settings(env: NodeJS.ProcessEnv): Settings {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return env[name] && Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const here = dirname(fileURLToPath(import.meta.url));
  return {
    rounds: num('BENCH_ROUNDS', 3),
    seconds: num('BENCH_SECONDS', 5),
    connections: num('BENCH_CONNECTIONS', 32),
    rate: num('BENCH_RATE', 500),
    streams: num('BENCH_STREAMS', 200),
    profile: env.BENCH_PROFILE === '1',
    out: env.BENCH_OUT ?? join(here, 'results', 'latest.json'),
    auth: parseAuth(env.BENCH_AUTH),
    store: parseStore(env.BENCH_STORE),
    nodeFlags: env.BENCH_NODE_FLAGS === undefined ? [...SERVE_NODE_FLAGS] : env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean),
    floor: env.BENCH_FLOOR !== '0',
  };
}

const CHAT_BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 });
const STREAM_BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16, stream: true });
/** Upper bound for the open-loop generator's pool; at the default rate about one request is in flight. */
const LATENCY_CONNECTIONS = 32;

const log = (line: string) => process.stderr.write(`${line}\n`);
const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!);

/** One real request of each kind, so a broken target is reported instead of benchmarked. */
async function check(target: Target): Promise<void> {
  for (const body of [CHAT_BODY, STREAM_BODY]) {
    const res = await request(target.url, { method: 'POST', headers: { ...target.headers, 'content-type': 'application/json' }, body });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.includes('Hello')) {
      throw new Error(`${target.name} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    }
  }
}

interface Fleet {
  targets: Target[];
  /** The process whose CPU a target's requests cost (for a proxy, the mock's share is left out). */
  pids: Map<string, number>;
  /** What Baimo said it runs on (`sqlite`, `postgres+redis`). */
  baimoStore?: string;
  baimoError?: string;
}

/**
 * Mock upstream, passthrough and Baimo, each its own process on the servers' core. Every target
 * gets the same Authorization header, so request sizes are equal: the key Baimo expects (the
 * tenant key it announced, or the master key); the mock and the passthrough ignore it.
 */
async function startFleet(
  s: Settings,
  pin: Pinning | null,
  masterKey: string,
  backing: BackingStore,
  profileDir: string,
  servers: ServerProcess[],
): Promise<Fleet> {
  // Profiling both proxies shows what Baimo spends per request beyond the bare minimum.
  // Both proxies run with the flags `npm start` gives Baimo, so runtime tuning cannot pass for
  // less work per request.
  const proxyNodeArgs = (name: string) => [...s.nodeFlags, ...(s.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${name}.cpuprofile`] : [])];
  if (s.profile) mkdirSync(profileDir, { recursive: true });
  const mock = await startServerProcess('mock upstream', './mock-upstream.js', { cpus: pin?.servers });
  servers.push(mock);
  const upstream = ['--upstream', String(mock.port)];
  const passthrough = await startServerProcess('passthrough', './passthrough.js', { cpus: pin?.servers, args: upstream, nodeArgs: proxyNodeArgs('passthrough') });
  servers.push(passthrough);

  let baimo: ServerProcess | undefined;
  let baimoError: string | undefined;
  let key = masterKey;
  try {
    baimo = await startServerProcess('baimo', './baimo-server.js', {
      cpus: pin?.servers,
      args: upstream,
      // Only what the bench means to set: BENCH_BAIMO_* are '' unless BENCH_STORE=postgres.
      env: { BAIMO_MASTER_KEY: masterKey, BENCH_AUTH: s.auth, BENCH_BAIMO_DATABASE_URL: '', BENCH_BAIMO_REDIS_URL: '', ...backing.env },
      nodeArgs: proxyNodeArgs('baimo'),
    });
    servers.push(baimo);
    if (s.auth === 'tenant') {
      const tenantKey = baimo.announced['tenant-key'];
      if (!tenantKey) throw new Error('Baimo did not announce a tenant key');
      key = tenantKey;
    }
  } catch (err) {
    // The baseline is still worth printing when the gateway cannot start.
    baimoError = err instanceof Error ? err.message : String(err);
    baimo = undefined;
  }

  const auth = { authorization: `Bearer ${key}` };
  const url = (port: number) => `http://127.0.0.1:${port}/v1/chat/completions`;
  const fleet: Fleet = {
    targets: [
      { name: 'direct', url: url(mock.port), headers: auth },
      { name: 'passthrough', url: url(passthrough.port), headers: auth },
    ],
    pids: new Map([
      ['direct', mock.pid],
      ['passthrough', passthrough.pid],
    ]),
    baimoStore: baimo?.announced.store,
  };
  for (const t of fleet.targets) await check(t);
  if (baimo) {
    const target = { name: 'baimo', url: url(baimo.port), headers: auth };
    try {
      await check(target);
      fleet.targets.push(target);
      fleet.pids.set('baimo', baimo.pid);
    } catch (err) {
      baimoError = err instanceof Error ? err.message : String(err);
    }
  }
  if (baimoError) {
    fleet.baimoError = baimoError;
    log(`bench: Baimo is not measured: ${baimoError}`);
  }
  if (s.floor) {
    // Started last and given the key every target is sent, so request sizes stay equal.
    const floor = await startServerProcess('floor gateway', './floor-gateway.js', { cpus: pin?.servers, args: upstream, env: { BENCH_FLOOR_KEY: key }, nodeArgs: proxyNodeArgs('floor') });
    servers.push(floor);
    const target = { name: 'floor', url: url(floor.port), headers: auth };
    await check(target);
    fleet.targets.push(target);
    fleet.pids.set('floor', floor.pid);
  }
  return fleet;
}

/** Total CPU time of some processes, per pid (pids that are gone are left out). */
function cpuTimesMs(pids: number[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    const t = cpuTimeMs(pid);
    if (t !== undefined) times.set(pid, t);
  }
  return times;
}

/** CPU used between two readings by processes present in both (a backend that exited is lost). */
function cpuSpentMs(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, t] of after) {
    const t0 = before.get(pid);
    if (t0 !== undefined) total += t - t0;
  }
  return total;
}

/** One round: kind by kind, then target by target, so the figures compared are seconds apart. */
async function measureRound(round: number, order: Target[], fleet: Fleet, load: LoadGenerator, backing: BackingStore, s: Settings): Promise<RoundSample[]> {
  const samples = new Map<string, Partial<RoundSample>>(order.map((t) => [t.name, { round, target: t.name }]));
  for (const target of order) {
    const pid = fleet.pids.get(target.name)!;
    // PostgreSQL and Redis work only for Baimo; their CPU is shown apart from Baimo's own.
    const servicePids = target.name === 'baimo' ? await backing.servicePids() : [];
    const servicesBefore = cpuTimesMs(servicePids);
    const before = cpuTimeMs(pid);
    const result = await load.run<ThroughputResult>({ kind: 'throughput', target, body: CHAT_BODY, connections: s.connections, seconds: s.seconds });
    const after = cpuTimeMs(pid);
    const servicesAfter = cpuTimesMs(servicePids);
    const sample = samples.get(target.name)!;
    sample.throughput = result;
    const answered = result.ok + result.non2xx;
    if (before !== undefined && after !== undefined) sample.cpuUsPerRequest = ((after - before) * 1000) / answered;
    if (servicePids.length) sample.serviceCpuUsPerRequest = (cpuSpentMs(servicesBefore, servicesAfter) * 1000) / answered;
  }
  for (const target of order) {
    samples.get(target.name)!.latency = await load.run<LatencyResult>({
      kind: 'latency',
      target,
      body: CHAT_BODY,
      rate: s.rate,
      seconds: s.seconds,
      connections: LATENCY_CONNECTIONS,
    });
  }
  for (const target of order) {
    samples.get(target.name)!.ttft = await load.run<TtftResult>({ kind: 'ttft', target, body: STREAM_BODY, count: s.streams });
  }
  return order.map((t) => samples.get(t.name) as RoundSample);
}

export async function runBench(): Promise<void> {
  const s = settings(process.env);
  const pin = detectPinning();
  const masterKey = `sk-bm-bench-${randomBytes(16).toString('hex')}`;
  const profileDir = join(dirname(s.out), 'profiles');
  const servers: ServerProcess[] = [];
  const mode = describeMode(s.auth, s.store);

  log(`bench: node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cpus`);
  log(`bench: passthrough and Baimo run with node flags: ${s.nodeFlags.join(' ') || '(none)'}`);
  log(pin ? `bench: servers pinned to cpu ${pin.servers}, load generator to cpu ${pin.load}` : 'bench: not pinned (needs taskset and 2 usable cpus)');
  const backing = await prepareBackingStore(s.store, process.env);
  log(`bench: Baimo called with a ${mode}`);
  if (backing.description.database) {
    log(`bench: PostgreSQL database ${backing.description.database}, Redis database ${backing.description.redis} (not pinned)`);
  }
  const load = startLoadGenerator(pin?.load);
  try {
    const fleet = await startFleet(s, pin, masterKey, backing, profileDir, servers);
    log('bench: warming up');
    for (const target of fleet.targets) {
      await load.run({ kind: 'throughput', target, body: CHAT_BODY, connections: s.connections, seconds: 2 });
      await load.run({ kind: 'ttft', target, body: STREAM_BODY, count: 50 });
    }
    const samples: RoundSample[] = [];
    for (let round = 0; round < s.rounds; round++) {
      const order = rotate(fleet.targets, round);
      log(`bench: round ${round + 1}/${s.rounds} (${order.map((t) => t.name).join(', ')})`);
      samples.push(...(await measureRound(round, order, fleet, load, backing, s)));
    }

    const rows = fleet.targets.map((t) => summarize(samples, t.name));
    const ratios = compare(samples);
    const floorRatios = s.floor ? compare(samples, 'floor') : undefined;
    const floorNote = floorRatios
      ? `\n\nThe floor gateway (bench/floor-gateway.ts) does only what every request of Baimo's must: authenticate a hashed key,\n` +
        `admit against key and org limits, call the upstream, settle, journal a usage event before replying. What any gateway\n` +
        `doing that work costs here:\n${formatRatios(floorRatios, 'Floor')}`
      : '';
    process.stdout.write(
      `\nBaimo gateway bench, ${mode}: medians of ${s.rounds} rounds; throughput ${s.seconds} s at ${s.connections} connections; ` +
        `latency ${s.seconds} s open-loop at ${s.rate} req/s; TTFT over ${s.streams} sequential streams.\n\n` +
        `${formatTable(rows, s)}\n\n${formatRatios(ratios)}${floorNote}\n`,
    );
    const lowRate = rows.filter((r) => r.sentRate < s.rate * 0.95);
    if (lowRate.length) log(`bench: warning: the fixed rate was not held for ${lowRate.map((r) => r.target).join(', ')}`);
    if (rows.some((r) => r.non2xx + r.errors > 0)) log('bench: warning: some requests failed; the figures above exclude them');

    mkdirSync(dirname(s.out), { recursive: true });
    const machine = { node: process.version, cpu: cpus()[0]?.model, cpus: cpus().length, pinning: pin, loadavg: loadavg() };
    const report = {
      date: new Date().toISOString(),
      mode: { auth: s.auth, ...backing.description, baimoReported: fleet.baimoStore, description: mode },
      machine,
      settings: s,
      baimoError: fleet.baimoError,
      rows,
      ratios,
      floorRatios,
      samples,
    };
    writeFileSync(s.out, `${JSON.stringify(report, null, 2)}\n`);
    log(`bench: results written to ${s.out}`);
  } finally {
    await load.stop();
    for (const server of servers.reverse()) await server.stop();
    await backing.cleanup().catch((err: unknown) => log(`bench: could not clean up the PostgreSQL database / Redis index: ${String(err)}`));
    if (s.profile) log(`bench: CPU profiles in ${profileDir} (summarise with: node dist/bench/profile-top.js <file>)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBench().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
