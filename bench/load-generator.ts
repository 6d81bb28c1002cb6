import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { FIRST_TOKEN, type Job, type JobReply, type JobResult, type LatencyResult, type ThroughputResult, type TtftResult, type Target } from './jobs.js';
import { percentile } from './percentile.js';

/**
 * The load generator child: runs one job at a time for the orchestrator over IPC. It lives in
 * its own process, pinned to a core of its own, so the load it makes is never limited by the
 * server it measures and the server never loses CPU to it.
 */

const send = (reply: JobReply) => process.send?.(reply);

/** Saturation: closed-loop autocannon with a fixed connection count. */
async function throughput(job: Extract<Job, { kind: 'throughput' }>): Promise<ThroughputResult> {
  const result = await autocannon({
    url: job.target.url,
    method: 'POST',
    headers: { ...job.target.headers, 'content-type': 'application/json' },
    body: job.body,
    connections: job.connections,
    duration: job.seconds,
    timeout: 10,
  });
  let ok = 0;
  for (const [code, stat] of Object.entries(result.statusCodeStats)) {
    if (code.startsWith('2')) ok += Number(stat.count);
  }
  return { kind: 'throughput', rps: ok / result.duration, ok, non2xx: result.non2xx, errors: result.errors };
}

function poolFor(target: Target, connections: number): { pool: Pool; path: string } {
  const url = new URL(target.url);
  return { pool: new Pool(url.origin, { connections, pipelining: 1 }), path: url.pathname };
}

/**
 * Latency at a fixed rate, open loop: a request is sent on schedule whether or not earlier ones
 * have answered. autocannon's `overallRate` is not used here because it spends each connection's
 * per-second quota back to back at the top of every second, which measures bursts of queueing
 * rather than latency at a steady rate; autocannon's latency histogram also rounds to whole
 * milliseconds, coarser than the differences this bench looks for.
 */
async function latency(job: Extract<Job, { kind: 'latency' }>): Promise<LatencyResult> {
  const { pool, path } = poolFor(job.target, job.connections);
  const headers = { ...job.target.headers, 'content-type': 'application/json' };
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  const inflight = new Set<Promise<void>>();
  const one = async () => {
    const t0 = performance.now();
    try {
      const res = await pool.request({ path, method: 'POST', headers, body: job.body });
      await res.body.dump({ limit: Infinity });
      if (res.statusCode >= 200 && res.statusCode < 300) samples.push(performance.now() - t0);
      else non2xx++;
    } catch {
      errors++;
    }
  };
  const interval = 1000 / job.rate;
  const start = performance.now();
  const end = start + job.seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (now >= end) return resolve();
      // Timers fire late by up to a millisecond; catch up so the average rate holds.
      const due = Math.floor((now - start) / interval) + 1;
      for (; sent < due; sent++) {
        const p = one().finally(() => inflight.delete(p));
        inflight.add(p);
      }
      setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(inflight);
  await pool.close();
  return {
    kind: 'latency',
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    sentRate: sent / job.seconds,
    ok: samples.length,
    non2xx,
    errors,
  };
}

/** Time to first token: sequential streams, so no request waits behind another. */
async function ttft(job: Extract<Job, { kind: 'ttft' }>): Promise<TtftResult> {
  const { pool, path } = poolFor(job.target, 1);
  const headers = { ...job.target.headers, 'content-type': 'application/json', accept: 'text/event-stream' };
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  for (let i = 0; i < job.count; i++) {
    const t0 = performance.now();
    try {
      const res = await pool.request({ path, method: 'POST', headers, body: job.body });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        non2xx++;
        await res.body.dump({ limit: Infinity });
        continue;
      }
      let seen = '';
      let first = NaN;
      for await (const chunk of res.body) {
        if (Number.isNaN(first)) {
          // The token can straddle two chunks, so search what has arrived so far.
          seen += (chunk as Buffer).toString('latin1');
          if (seen.includes(FIRST_TOKEN)) first = performance.now() - t0;
        }
      }
      if (Number.isNaN(first)) errors++;
      else samples.push(first);
    } catch {
      errors++;
    }
  }
  await pool.close();
  return { kind: 'ttft', p50: percentile(samples, 50), p99: percentile(samples, 99), ok: samples.length, non2xx, errors };
}

function run(job: Job): Promise<JobResult> {
  switch (job.kind) {
    case 'throughput':
      return throughput(job);
    case 'latency':
      return latency(job);
    case 'ttft':
      return ttft(job);
  }
}

process.on('message', (msg: { id: number; job: Job }) => {
  run(msg.job).then(
    (result) => send({ id: msg.id, result }),
    (err: unknown) => send({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
// The orchestrator owns this process: when its IPC channel closes, there is nothing left to do.
process.on('disconnect', () => process.exit(0));
