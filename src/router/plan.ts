import type { DeploymentConfig, ModelConfig, PriceConfig, RoutingStrategy } from '../config/types.js';
import type { Circuit } from './circuit-breaker.js';
import { hasCapacity, type DeploymentState } from './deployment-state.js';

/**
 * Routing as a pure function: given a model's deployments, their live state, a strategy, the time
 * and a random source, return the order in which to try them. The attempt loop (execute.ts) only
 * walks this list. Priority is always the primary key (an operator's explicit "try these first");
 * the strategy orders deployments of equal priority.
 */

export interface PlanInput {
  model: ModelConfig;
  strategy: RoutingStrategy;
  stateOf: (id: string) => DeploymentState;
  now: number;
  random: () => number;
  /** Estimated tokens of the request, for TPM caps. */
  estimatedTokens: number;
}

export interface Plan {
  order: DeploymentConfig[];
  /** When nothing is eligible: the earliest time a cooled-down deployment admits a probe. */
  earliestRetryAt?: number;
}

export function isAdmissible(c: Circuit, now: number): boolean {
  if (c.state === 'closed') return true;
  if (c.state === 'open') return now >= c.openUntil;
  return !c.probeInFlight;
}

export function planAttempts(input: PlanInput): Plan {
  const { model, now } = input;
  if (model.deployments.length === 1) return planOne(input);
  const eligible: { d: DeploymentConfig; s: DeploymentState; key: number; tie: number }[] = [];
  let earliestRetryAt: number | undefined;
  for (const d of model.deployments) {
    const s = input.stateOf(d.id);
    if (!isAdmissible(s.circuit, now)) {
      if (s.circuit.state === 'open') earliestRetryAt = Math.min(earliestRetryAt ?? Infinity, s.circuit.openUntil);
      continue;
    }
    if (!hasCapacity(s, d, now, input.estimatedTokens)) {
      earliestRetryAt = Math.min(earliestRetryAt ?? Infinity, now + 1_000);
      continue;
    }
    eligible.push({ d, s, key: strategyKey(input.strategy, d, s, model.price), tie: weightedKey(d.weight, input.random) });
  }
  eligible.sort((a, b) => a.d.priority - b.d.priority || a.key - b.key || b.tie - a.tie);
  return eligible.length > 0 ? { order: eligible.map((e) => e.d) } : { order: [], earliestRetryAt };
}

/** A model with one deployment (the common case) has nothing to order: the same answer, without the sort. */
function planOne(input: PlanInput): Plan {
  const { model, now } = input;
  const d = model.deployments[0]!;
  const s = input.stateOf(d.id);
  if (!isAdmissible(s.circuit, now)) return { order: [], earliestRetryAt: s.circuit.state === 'open' ? s.circuit.openUntil : undefined };
  if (!hasCapacity(s, d, now, input.estimatedTokens)) return { order: [], earliestRetryAt: now + 1_000 };
  // The config's own (immutable) list: the attempt loop only reads it.
  return { order: model.deployments };
}

/** Lower sorts first. priority-weighted has no key of its own: the weighted tie-break decides. */
function strategyKey(strategy: RoutingStrategy, d: DeploymentConfig, s: DeploymentState, modelPrice?: PriceConfig): number {
  switch (strategy) {
    case 'priority-weighted':
      return 0;
    case 'least-latency':
      // Unmeasured deployments sort first so every one gets sampled.
      return s.ewmaTtftMs ?? s.ewmaLatencyMs ?? 0;
    case 'least-busy':
      return s.inFlight;
    case 'lowest-cost': {
      const p = d.price ?? modelPrice;
      return p ? p.input + p.output : Number.MAX_SAFE_INTEGER;
    }
  }
}

/**
 * Weighted random order without replacement (Efraimidis–Spirakis): key = u^(1/w), larger first.
 * Weight 0 gets key -1: used only when nothing else is left.
 */
function weightedKey(weight: number, random: () => number): number {
  if (weight <= 0) return -1;
  return Math.pow(random(), 1 / weight);
}
