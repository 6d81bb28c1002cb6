import type { PlatformConfig } from '../config/types.js';
import { isAdmissible } from './plan.js';
import type { DeploymentStates } from './deployment-state.js';

/** One row of `GET /admin/v1/deployments/health`. */
export interface DeploymentHealth {
  id: string;
  model: string;
  provider: string;
  upstream_model: string;
  weight: number;
  priority: number;
  tags: Record<string, string>;
  circuit: 'closed' | 'open' | 'half_open';
  /** Seconds until an open circuit admits a probe. */
  cooldown_remaining_s: number;
  available: boolean;
  in_flight: number;
  consecutive_failures: number;
  successes: number;
  failures: number;
  latency_ms: { ewma: number | null; p50: number | null; p95: number | null; samples: number };
  ttft_ms_ewma: number | null;
  last_error: { code: string; message: string; at: string } | null;
}

export function deploymentHealth(config: PlatformConfig, states: DeploymentStates, now: number): DeploymentHealth[] {
  const rows: DeploymentHealth[] = [];
  for (const model of config.models) {
    for (const d of model.deployments) {
      const s = states.get(d.id);
      const sorted = [...s.recentLatencies].sort((a, b) => a - b);
      rows.push({
        id: d.id,
        model: model.name,
        provider: d.provider,
        upstream_model: d.model,
        weight: d.weight,
        priority: d.priority,
        tags: d.tags,
        circuit: s.circuit.state === 'open' && now >= s.circuit.openUntil ? 'half_open' : s.circuit.state,
        cooldown_remaining_s: s.circuit.state === 'open' ? Math.max(0, Math.ceil((s.circuit.openUntil - now) / 1000)) : 0,
        available: isAdmissible(s.circuit, now),
        in_flight: s.inFlight,
        consecutive_failures: s.circuit.consecutiveFailures,
        successes: s.successes,
        failures: s.failures,
        latency_ms: {
          ewma: round(s.ewmaLatencyMs),
          p50: round(quantile(sorted, 0.5)),
          p95: round(quantile(sorted, 0.95)),
          samples: sorted.length,
        },
        ttft_ms_ewma: round(s.ewmaTtftMs),
        last_error: s.lastError ? { ...s.lastError, at: new Date(s.lastError.at).toISOString() } : null,
      });
    }
  }
  return rows;
}

function quantile(sorted: number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function round(v: number | undefined): number | null {
  return v === undefined ? null : Math.round(v * 10) / 10;
}
