import type { DeploymentConfig } from '../config/types.js';
import { newCircuit, type Circuit } from './circuit-breaker.js';
import { RateWindow } from './rate-window.js';

/** Live, in-memory facts about one deployment that routing decisions read. */
export interface DeploymentState {
  readonly id: string;
  circuit: Circuit;
  inFlight: number;
  /** Exponential moving averages (ms); undefined until the first sample. */
  ewmaTtftMs?: number;
  ewmaLatencyMs?: number;
  /** Ring of recent end-to-end latencies for the health view. */
  recentLatencies: number[];
  requests: RateWindow;
  tokens: RateWindow;
  successes: number;
  failures: number;
  lastError?: { code: string; message: string; at: number };
}

const EWMA_ALPHA = 0.2;
const RECENT = 64;

export function newDeploymentState(id: string): DeploymentState {
  return {
    id,
    circuit: newCircuit(),
    inFlight: 0,
    recentLatencies: [],
    requests: new RateWindow(),
    tokens: new RateWindow(),
    successes: 0,
    failures: 0,
  };
}

export function recordTiming(s: DeploymentState, latencyMs: number, ttftMs: number | undefined): void {
  s.ewmaLatencyMs = s.ewmaLatencyMs === undefined ? latencyMs : s.ewmaLatencyMs + EWMA_ALPHA * (latencyMs - s.ewmaLatencyMs);
  if (ttftMs !== undefined) {
    s.ewmaTtftMs = s.ewmaTtftMs === undefined ? ttftMs : s.ewmaTtftMs + EWMA_ALPHA * (ttftMs - s.ewmaTtftMs);
  }
  s.recentLatencies.push(latencyMs);
  if (s.recentLatencies.length > RECENT) s.recentLatencies.shift();
}

/** Whether the deployment's own RPM/TPM caps leave room for a request of `tokens` estimated tokens. */
export function hasCapacity(s: DeploymentState, d: DeploymentConfig, now: number, tokens: number): boolean {
  if (d.rpm !== undefined && s.requests.count(now) + 1 > d.rpm) return false;
  if (d.tpm !== undefined && s.tokens.count(now) + tokens > d.tpm) return false;
  return true;
}

/**
 * All deployment states, keyed by deployment id. Survives config reloads: a deployment that
 * keeps its id keeps its circuit and averages; removed ones are dropped.
 */
export class DeploymentStates {
  private readonly states = new Map<string, DeploymentState>();

  get(id: string): DeploymentState {
    let s = this.states.get(id);
    if (!s) {
      s = newDeploymentState(id);
      this.states.set(id, s);
    }
    return s;
  }

  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of this.states.keys()) if (!keep.has(id)) this.states.delete(id);
  }
}
