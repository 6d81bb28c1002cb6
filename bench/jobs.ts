/**
 * The messages between the orchestrator (bench/gateway.ts) and the load generator child
 * (bench/load-generator.ts). The generator runs in its own process, pinned to its own core, so
 * that producing load never competes for CPU with the server under test.
 */

/** The mock's first content token; the load generator looks for it to time the first token. */
export const FIRST_TOKEN = 'Hello';

export interface Target {
  /** Row label in the table: direct, passthrough, baimo. */
  name: string;
  /** Full URL of the chat completions endpoint. */
  url: string;
  headers: Record<string, string>;
}

export type Job =
  | { kind: 'throughput'; target: Target; body: string; connections: number; seconds: number }
  | { kind: 'latency'; target: Target; body: string; rate: number; seconds: number; connections: number }
  | { kind: 'ttft'; target: Target; body: string; count: number };

export interface ThroughputResult {
  kind: 'throughput';
  /** 2xx answers per second over the run. */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
}

export interface LatencyResult {
  kind: 'latency';
  /** Milliseconds, 2xx answers only, from dispatch to the last body byte. */
  p50: number;
  p99: number;
  /** Achieved send rate, to show the target rate was actually held. */
  sentRate: number;
  ok: number;
  non2xx: number;
  errors: number;
}

export interface TtftResult {
  kind: 'ttft';
  /** Milliseconds from dispatch to the first body bytes that carry the first content token. */
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

export type JobResult = ThroughputResult | LatencyResult | TtftResult;

export type JobReply = { id: number; result: JobResult } | { id: number; error: string };
