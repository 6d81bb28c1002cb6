import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import type { Target, ThroughputResult } from './jobs.js';
import { prepareBackingStore, type BackingStore } from './backing-store.js';
import { DEFAULT_REDIS_DB, type BenchStore } from './modes.js';
import { cpuTimeMs, detectPinning, startLoadGenerator, startServerProcess, type ServerProcess } from './processes.js';

/**
 * In-place A/B of builds: the CPU each build of Baimo spends per request, measured side by side
 * against one mock upstream, loaded in turn, round after round in rotating order. This is how
 * docs/benchmarks.md's passes weigh a change: a function's cost in a warm loop says little about
 * its cost between other requests' code, and two runs of `npm run bench` minutes apart differ by
 * more than most single changes.
 *
 *   cp -r dist /tmp/ab/a && ln -s "$PWD/node_modules" /tmp/ab/a/node_modules   # the baseline
 *   …change, npm run build…
 *   cp -r dist /tmp/ab/b && ln -s "$PWD/node_modules" /tmp/ab/b/node_modules
 *   node dist/bench/compare-builds.js /tmp/ab/a /tmp/ab/b --runs 8 --seconds 5
 *
 * A build is a `dist` directory (its own `bench/baimo-server.js` is started); an edited copy of a
 * build works too, which is the quickest way to switch one thing off. Prints each run, then the
 * median CPU µs per request of each build and its difference from the first.
 *
 * `--store postgres` runs each build on a fresh PostgreSQL database and Redis index of its own (as
 * `BENCH_STORE=postgres npm run bench` does; the services from `.ci/services.sh`). Only Baimo's own
 * CPU is counted, not the services'.
 *
 * `--node-args B=--max-semi-space-size=64` starts build B's node with those flags (space-separated;
 * repeat the option for other builds), so one build given twice weighs a runtime flag.
 */

const CHAT_BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 });

export const COMPARE_USAGE = `Usage: node dist/bench/compare-builds.js <dist> <dist> [...] [--runs N] [--seconds S] [--connections C] [--auth tenant|master] [--store embedded|postgres] [--node-args LABEL=FLAGS]...`;

interface Options {
  builds: string[];
  runs: number;
  seconds: number;
  connections: number;
  auth: 'tenant' | 'master';
  store: BenchStore;
  /** Extra node flags per build, by index in `builds`. */
  nodeArgs: string[][];
}

export function parseCompareArgs(argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      auth: { type: 'string' },
      store: { type: 'string' },
      'node-args': { type: 'string', multiple: true },
    },
  });
  const positive = (name: string, value: string | undefined, fallback: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n${COMPARE_USAGE}`);
    return n;
  };
  const auth = values.auth ?? 'tenant';
  if (auth !== 'tenant' && auth !== 'master') throw new Error(`--auth must be tenant or master\n${COMPARE_USAGE}`);
  const store = values.store ?? 'embedded';
  if (store !== 'embedded' && store !== 'postgres') throw new Error(`--store must be embedded or postgres\n${COMPARE_USAGE}`);
  if (positionals.length < 2) throw new Error(`give at least two builds to compare\n${COMPARE_USAGE}`);
  const builds = positionals.map((p) => resolve(p));
  for (const build of builds) {
    if (!existsSync(join(build, 'bench', 'baimo-server.js'))) throw new Error(`${build} is not a build: no bench/baimo-server.js in it`);
  }
  const nodeArgs: string[][] = builds.map(() => []);
  for (const spec of values['node-args'] ?? []) {
    const match = /^([A-Z])=(.*)$/s.exec(spec);
    const index = match ? match[1]!.charCodeAt(0) - 65 : -1;
    if (!match || index >= builds.length) throw new Error(`--node-args takes LABEL=FLAGS with LABEL one of the builds (A, B, …), not '${spec}'\n${COMPARE_USAGE}`);
    nodeArgs[index]!.push(...match[2]!.split(/\s+/).filter(Boolean));
  }
  return {
    builds,
    runs: positive('runs', values.runs, 8),
    seconds: positive('seconds', values.seconds, 5),
    connections: positive('connections', values.connections, 32),
    auth,
    store,
    nodeArgs,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const opts = parseCompareArgs(process.argv.slice(2));
  const pin = detectPinning();
  const masterKey = `sk-bm-bench-${randomBytes(16).toString('hex')}`;
  const servers: ServerProcess[] = [];
  const backings: BackingStore[] = [];
  const load = startLoadGenerator(pin?.load);
  try {
    const mock = await startServerProcess('mock upstream', './mock-upstream.js', { cpus: pin?.servers });
    servers.push(mock);
    const builds: { label: string; target: Target; pid: number; samples: number[] }[] = [];
    for (const [i, build] of opts.builds.entries()) {
      const label = String.fromCharCode(65 + i);
      // PostgreSQL + Redis: a database and a Redis index of its own per build.
      const redisDb = (process.env.BENCH_REDIS_DB ? Number(process.env.BENCH_REDIS_DB) : DEFAULT_REDIS_DB) + i;
      const backing = await prepareBackingStore(opts.store, { ...process.env, BENCH_REDIS_DB: String(redisDb) });
      backings.push(backing);
      const server = await startServerProcess(`build ${label}`, join(build, 'bench', 'baimo-server.js'), {
        cpus: pin?.servers,
        nodeArgs: opts.nodeArgs[i],
        args: ['--upstream', String(mock.port)],
        env: { BAIMO_MASTER_KEY: masterKey, BENCH_AUTH: opts.auth, BENCH_BAIMO_DATABASE_URL: '', BENCH_BAIMO_REDIS_URL: '', ...backing.env },
      });
      servers.push(server);
      const key = opts.auth === 'tenant' ? server.announced['tenant-key'] : masterKey;
      if (!key) throw new Error(`build ${label} did not announce a tenant key`);
      const target = { name: label, url: `http://127.0.0.1:${server.port}/v1/chat/completions`, headers: { authorization: `Bearer ${key}` } };
      const res = await request(target.url, { method: 'POST', headers: { ...target.headers, 'content-type': 'application/json' }, body: CHAT_BODY });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`build ${label} answered ${res.statusCode}: ${text.slice(0, 300)}`);
      builds.push({ label, target, pid: server.pid, samples: [] });
      console.log(`${label}: ${build}${opts.nodeArgs[i]!.length ? ` (node ${opts.nodeArgs[i]!.join(' ')})` : ''}`);
    }
    console.log(pin ? `servers on cpu ${pin.servers}, load on cpu ${pin.load}` : 'not pinned (needs taskset and 2 cpus): expect more scatter');

    const measure = async (b: (typeof builds)[number], seconds: number) => {
      const before = cpuTimeMs(b.pid);
      const r = await load.run<ThroughputResult>({ kind: 'throughput', target: b.target, body: CHAT_BODY, connections: opts.connections, seconds });
      const after = cpuTimeMs(b.pid);
      if (r.non2xx + r.errors > 0) console.log(`${b.label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return before === undefined || after === undefined ? NaN : ((after - before) * 1000) / Math.max(1, r.ok + r.non2xx);
    };
    for (const b of builds) await measure(b, Math.min(3, opts.seconds)); // warm-up: JIT, caches, SQLite pages
    for (let run = 0; run < opts.runs; run++) {
      // Rotating order: no build always runs first (or right after the same neighbour).
      for (let j = 0; j < builds.length; j++) {
        const b = builds[(run + j) % builds.length]!;
        b.samples.push(await measure(b, opts.seconds));
      }
      console.log(`run ${run + 1}: ${builds.map((b) => `${b.label} ${b.samples.at(-1)!.toFixed(1)}`).join('  ')}`);
    }
    const base = median(builds[0]!.samples);
    console.log(`median CPU µs/request: ${builds.map((b) => `${b.label} ${median(b.samples).toFixed(1)} (${(median(b.samples) - base >= 0 ? '+' : '') + (median(b.samples) - base).toFixed(1)})`).join('  ')}`);
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await Promise.allSettled(backings.map((b) => b.cleanup()));
    await load.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`compare-builds: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
