import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseAnnouncement } from './child-lifecycle.js';
import type { Job, JobReply, JobResult } from './jobs.js';

/**
 * Starting, pinning and stopping the bench's child processes. Servers share one core and the
 * load generator gets another, so the generator never steals CPU from what it measures; with
 * fewer than two usable cores (or no taskset) everything runs unpinned and the report says so.
 */

export interface Pinning {
  /** taskset CPU list for the servers (mock upstream, passthrough, Baimo). */
  servers: string;
  /** taskset CPU list for the load generator. */
  load: string;
}

/** The first two CPUs this process may use, if taskset can pin to them; else null. */
export function detectPinning(): Pinning | null {
  const probe = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const list = /:\s*([\d,\-\s]+)$/m.exec(probe.stdout)?.[1];
  const cpus = list ? expandCpuList(list) : [];
  if (cpus.length < 2) return null;
  return { servers: String(cpus[0]), load: String(cpus[1]) };
}

function expandCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const [lo, hi] = part.split('-').map(Number);
    if (lo === undefined || Number.isNaN(lo)) continue;
    for (let c = lo; c <= (hi ?? lo); c++) cpus.push(c);
  }
  return cpus;
}

function command(cpus: string | undefined, script: string, nodeArgs: string[], args: string[]): [string, string[]] {
  const node = [...nodeArgs, fileURLToPath(new URL(script, import.meta.url)), ...args];
  return cpus ? ['taskset', ['-c', cpus, process.execPath, ...node]] : [process.execPath, node];
}

export interface ServerProcess {
  name: string;
  port: number;
  pid: number;
  /** Facts the server announced before it was ready (`announce <name> <value>`), e.g. a tenant key. */
  announced: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * CPU time a process has used so far, in ms, from Linux's scheduler accounting (nanosecond
 * resolution, all threads); undefined elsewhere. CPU per request is steadier than req/s on a
 * shared machine, and it separates a proxy's own cost from the mock upstream on the same core.
 */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    }
    return total / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * Spawn a bench server script (relative to this file) and wait for its `listening <port>` line,
 * collecting the `announce` lines before it (protocol in child-lifecycle.ts).
 */
export async function startServerProcess(
  name: string,
  script: string,
  opts: { cpus?: string; args?: string[]; nodeArgs?: string[]; env?: Record<string, string> },
): Promise<ServerProcess> {
  const [cmd, argv] = command(opts.cpus, script, opts.nodeArgs ?? [], opts.args ?? []);
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...opts.env } });
  const lines = createInterface({ input: child.stdout! });
  const announced: Record<string, string> = {};
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not report a port within 30 s`)), 30_000);
      lines.on('line', (line) => {
        const said = parseAnnouncement(line);
        if (said && 'port' in said) {
          clearTimeout(timer);
          resolve(said.port);
        } else if (said) {
          announced[said.name] = said.value;
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with code ${code} before it was ready`));
      });
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { name, port, pid: child.pid!, announced, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  // Closing stdin asks the child to shut down cleanly (see child-lifecycle.ts).
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface LoadGenerator {
  run<R extends JobResult>(job: Job): Promise<R>;
  stop(): Promise<void>;
}

export function startLoadGenerator(cpus: string | undefined): LoadGenerator {
  const [cmd, argv] = command(cpus, './load-generator.js', [], []);
  // The IPC descriptor survives taskset's exec, so the pinned node still talks to us.
  const child = spawn(cmd, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  child.on('message', (reply: JobReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if ('error' in reply) w.reject(new Error(reply.error));
    else w.resolve(reply.result);
  });
  child.once('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load generator exited with code ${code}`));
    waiting.clear();
  });
  return {
    run<R extends JobResult>(job: Job) {
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (r: JobResult) => void, reject });
        child.send({ id, job });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
