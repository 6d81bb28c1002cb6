/**
 * Per-deployment cooldown circuit breaker as pure transitions over a small state record:
 * closed → (threshold consecutive failures) → open → (cooldown elapsed) → half-open, which
 * admits exactly one probe → closed on success, open again (longer cooldown) on failure.
 * Time is passed in, so tests drive it with a fake clock.
 */

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface Circuit {
  state: CircuitState;
  consecutiveFailures: number;
  /** When an open circuit may admit a probe (ms epoch). */
  openUntil: number;
  /** Consecutive times the circuit opened without a success between (grows the cooldown). */
  trips: number;
  probeInFlight: boolean;
}

export interface BreakerPolicy {
  failureThreshold: number;
  cooldownMs: number;
  /** Cap for the doubling cooldown after repeated trips. */
  maxCooldownMs: number;
}

export const newCircuit = (): Circuit => ({
  state: 'closed',
  consecutiveFailures: 0,
  openUntil: 0,
  trips: 0,
  probeInFlight: false,
});

/** Whether a request may be sent now; moves open → half_open when the cooldown has elapsed. */
export function admits(c: Circuit, now: number): boolean {
  if (c.state === 'closed') return true;
  if (c.state === 'open') {
    if (now < c.openUntil) return false;
    c.state = 'half_open';
    c.probeInFlight = false;
  }
  return !c.probeInFlight;
}

/** Call when a request is actually sent, after `admits` returned true. */
export function onSend(c: Circuit): void {
  if (c.state === 'half_open') c.probeInFlight = true;
}

export function onSuccess(c: Circuit): void {
  c.state = 'closed';
  c.consecutiveFailures = 0;
  c.trips = 0;
  c.probeInFlight = false;
}

/** A failure that says the deployment is unhealthy (transient, credential, quota…). */
export function onFailure(c: Circuit, now: number, policy: BreakerPolicy, cooldownMs = policy.cooldownMs): void {
  c.consecutiveFailures += 1;
  c.probeInFlight = false;
  if (c.state === 'half_open' || c.consecutiveFailures >= policy.failureThreshold) {
    trip(c, now, Math.min(policy.maxCooldownMs, cooldownMs * 2 ** c.trips));
  }
}

/** Open at once for a known period (quota exhausted, bad credential, upstream retry-after). */
export function trip(c: Circuit, now: number, cooldownMs: number): void {
  c.state = 'open';
  c.openUntil = Math.max(c.openUntil, now + cooldownMs);
  c.trips += 1;
  c.probeInFlight = false;
}
