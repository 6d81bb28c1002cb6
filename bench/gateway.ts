import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from 'undici';
import type { LatencyResult, Target, ThroughputResult, TtftResult } from './jobs.js';
import { detectPinning, startLoadGenerator, startServerProcess, type ServerProcess } from './processes.js';
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
  };
}

const CHAT_BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 });
const STREAM_BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16, stream: true });

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

const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!);
const log = (line: string) => process.stderr.write(`${line}\n`);

export async function runBench(): Promise<void> {
  const s = settings(process.env);
  const pin = detectPinning();
  const masterKey = `sk-bm-bench-${randomBytes(16).toString('hex')}`;
  const servers: ServerProcess[] = [];
  const load = startLoadGenerator(pin?.load);
  const profileDir = join(dirname(s.out), 'profiles');
  let baimoError: string | undefined;

  log(`bench: node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cpus`);
  log(pin ? `bench: servers pinned to cpu ${pin.servers}, load generator to cpu ${pin.load}` : 'bench: not pinned (needs taskset and 2 usable cpus)');
  try {
    const mock = await startServerProcess('mock upstream', './mock-upstream.js', { cpus: pin?.servers });
    servers.push(mock);
    // Profiling both proxies shows what Baimo spends per request beyond the bare minimum.
    const profile = (name: string) => (s.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${name}.cpuprofile`] : []);
    if (s.profile) mkdirSync(profileDir, { recursive: true });
    const passthrough = await startServerProcess('passthrough', './passthrough.js', {
      cpus: pin?.servers,
      args: ['--upstream', String(mock.port)],
      nodeArgs: profile('passthrough'),
    });
    servers.push(passthrough);
    const auth = { authorization: `Bearer ${masterKey}` };
    const url = (port: number) => `http://127.0.0.1:${port}/v1/chat/completions`;
    const targets: Target[] = [
      { name: 'direct', url: url(mock.port), headers: auth },
      { name: 'passthrough', url: url(passthrough.port), headers: auth },
    ];
    try {
      const baimo = await startServerProcess('baimo', './baimo-server.js', {
        cpus: pin?.servers,
        args: ['--upstream', String(mock.port)],
        env: { BAIMO_MASTER_KEY: masterKey },
        nodeArgs: profile('baimo'),
      });
      servers.push(baimo);
      const target = { name: 'baimo', url: url(baimo.port), headers: auth };
      await check(target);
      targets.push(target);
    } catch (err) {
      baimoError = err instanceof Error ? err.message : String(err);
      log(`bench: Baimo is not measured: ${baimoError}`);
    }
    for (const t of targets.slice(0, 2)) await check(t);

    log('bench: warming up');
    for (const target of targets) {
      await load.run({ kind: 'throughput', target, body: CHAT_BODY, connections: s.connections, seconds: 2 });
      await load.run({ kind: 'ttft', target, body: STREAM_BODY, count: 50 });
    }

    const samples: RoundSample[] = [];
    for (let round = 0; round < s.rounds; round++) {
      const order = rotate(targets, round);
      log(`bench: round ${round + 1}/${s.rounds} (${order.map((t) => t.name).join(', ')})`);
      const partial = new Map<string, Partial<RoundSample>>(order.map((t) => [t.name, { round, target: t.name }]));
      // Kind by kind, then target by target, so the figures compared are seconds apart.
      for (const target of order) {
        partial.get(target.name)!.throughput = await load.run<ThroughputResult>({ kind: 'throughput', target, body: CHAT_BODY, connections: s.connections, seconds: s.seconds });
      }
      for (const target of order) {
        partial.get(target.name)!.latency = await load.run<LatencyResult>({ kind: 'latency', target, body: CHAT_BODY, rate: s.rate, seconds: s.seconds, connections: 32 });
      }
      for (const target of order) {
        partial.get(target.name)!.ttft = await load.run<TtftResult>({ kind: 'ttft', target, body: STREAM_BODY, count: s.streams });
      }
      samples.push(...(order.map((t) => partial.get(t.name)) as RoundSample[]));
    }

    const rows = targets.map((t) => summarize(samples, t.name));
    const ratios = compare(samples);
    process.stdout.write(
      `\nBaimo gateway bench: medians of ${s.rounds} rounds; throughput ${s.seconds} s at ${s.connections} connections; ` +
        `latency ${s.seconds} s open-loop at ${s.rate} req/s; TTFT over ${s.streams} sequential streams.\n\n` +
        `${formatTable(rows, s)}\n\n${formatRatios(ratios)}\n`,
    );
    const lowRate = rows.filter((r) => r.sentRate < s.rate * 0.95);
    if (lowRate.length) log(`bench: warning: the fixed rate was not held for ${lowRate.map((r) => r.target).join(', ')}`);
    if (rows.some((r) => r.non2xx + r.errors > 0)) log('bench: warning: some requests failed; the figures above exclude them');

    mkdirSync(dirname(s.out), { recursive: true });
    const machine = { node: process.version, cpu: cpus()[0]?.model, cpus: cpus().length, pinning: pin };
    writeFileSync(s.out, `${JSON.stringify({ date: new Date().toISOString(), machine, settings: s, baimoError, rows, ratios, samples }, null, 2)}\n`);
    log(`bench: results written to ${s.out}`);
  } finally {
    await load.stop();
    for (const server of servers.reverse()) await server.stop();
    if (s.profile) log(`bench: CPU profiles in ${profileDir} (summarise with: node dist/bench/profile-top.js <file>)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBench().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
