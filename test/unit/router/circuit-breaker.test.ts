import { describe, expect, it } from 'vitest';
import { admits, newCircuit, onFailure, onSend, onSuccess, trip } from '../../../src/router/circuit-breaker.js';
import { fakeClock } from '../../support/fixtures.js';

const policy = { failureThreshold: 3, cooldownMs: 1000, maxCooldownMs: 8000 };

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and not before', () => {
    const clock = fakeClock();
    const c = newCircuit();
    onFailure(c, clock.now(), policy);
    onFailure(c, clock.now(), policy);
    expect(c.state).toBe('closed');
    onFailure(c, clock.now(), policy);
    expect(c.state).toBe('open');
    expect(admits(c, clock.now())).toBe(false);
  });

  it('a success resets the failure count', () => {
    const c = newCircuit();
    onFailure(c, 0, policy);
    onFailure(c, 0, policy);
    onSuccess(c);
    onFailure(c, 0, policy);
    expect(c.state).toBe('closed');
  });

  it('admits exactly one half-open probe after the cooldown, closes on its success', () => {
    const clock = fakeClock();
    const c = newCircuit();
    for (let i = 0; i < 3; i++) onFailure(c, clock.now(), policy);
    clock.advance(999);
    expect(admits(c, clock.now())).toBe(false);
    clock.advance(1);
    expect(admits(c, clock.now())).toBe(true);
    onSend(c);
    expect(c.state).toBe('half_open');
    expect(admits(c, clock.now())).toBe(false); // the probe is in flight
    onSuccess(c);
    expect(c.state).toBe('closed');
    expect(admits(c, clock.now())).toBe(true);
  });

  it('a failed probe re-opens with a doubled cooldown, capped', () => {
    const clock = fakeClock();
    const c = newCircuit();
    for (let i = 0; i < 3; i++) onFailure(c, clock.now(), policy);
    clock.advance(1000);
    expect(admits(c, clock.now())).toBe(true);
    onSend(c);
    onFailure(c, clock.now(), policy);
    expect(c.state).toBe('open');
    expect(c.openUntil - clock.now()).toBe(2000);
    for (let i = 0; i < 5; i++) {
      clock.advance(c.openUntil - clock.now());
      admits(c, clock.now());
      onSend(c);
      onFailure(c, clock.now(), policy);
    }
    expect(c.openUntil - clock.now()).toBe(8000);
  });

  it('trip opens at once for a given period', () => {
    const c = newCircuit();
    trip(c, 0, 30_000);
    expect(admits(c, 29_999)).toBe(false);
    expect(admits(c, 30_000)).toBe(true);
  });
});
