import { describe, expect, it } from 'vitest';
import { DeploymentStates } from '../../../src/router/deployment-state.js';
import { trip } from '../../../src/router/circuit-breaker.js';
import { planAttempts } from '../../../src/router/plan.js';
import type { RoutingStrategy } from '../../../src/config/types.js';
import { deployment, model, seededRandom } from '../../support/fixtures.js';

function plan(m: ReturnType<typeof model>, states: DeploymentStates, strategy: RoutingStrategy = 'priority-weighted', random = seededRandom(), now = 0) {
  return planAttempts({ model: m, strategy, stateOf: (id) => states.get(id), now, random, estimatedTokens: 10 }).order.map((d) => d.id);
}

describe('planAttempts', () => {
  it('tries lower priority values first', () => {
    const m = model([deployment('b', { priority: 1 }), deployment('a', { priority: 0 }), deployment('c', { priority: 2 })]);
    expect(plan(m, new DeploymentStates())).toEqual(['a', 'b', 'c']);
  });

  it('orders equal priorities by weight, proportionally over many plans', () => {
    const m = model([deployment('heavy', { weight: 3 }), deployment('light', { weight: 1 })]);
    const random = seededRandom(7);
    const states = new DeploymentStates();
    let heavyFirst = 0;
    for (let i = 0; i < 4000; i++) if (plan(m, states, 'priority-weighted', random)[0] === 'heavy') heavyFirst++;
    expect(heavyFirst / 4000).toBeGreaterThan(0.7);
    expect(heavyFirst / 4000).toBeLessThan(0.8);
  });

  it('puts weight-0 deployments last', () => {
    const m = model([deployment('spare', { weight: 0 }), deployment('main', { weight: 1 })]);
    for (let seed = 1; seed < 20; seed++) expect(plan(m, new DeploymentStates(), 'priority-weighted', seededRandom(seed))).toEqual(['main', 'spare']);
  });

  it('leaves out deployments whose circuit is open and reports when one comes back', () => {
    const m = model([deployment('a'), deployment('b')]);
    const states = new DeploymentStates();
    trip(states.get('a').circuit, 0, 5000);
    expect(plan(m, states)).toEqual(['b']);
    trip(states.get('b').circuit, 0, 3000);
    const p = planAttempts({ model: m, strategy: 'priority-weighted', stateOf: (id) => states.get(id), now: 0, random: seededRandom(), estimatedTokens: 1 });
    expect(p.order).toEqual([]);
    expect(p.earliestRetryAt).toBe(3000);
    expect(plan(m, states, 'priority-weighted', seededRandom(), 3000)).toEqual(['b']);
  });

  it('respects per-deployment RPM and TPM caps', () => {
    const m = model([deployment('capped', { rpm: 2, priority: 0 }), deployment('tpm', { tpm: 100, priority: 1 }), deployment('free', { priority: 2 })]);
    const states = new DeploymentStates();
    states.get('capped').requests.add(0, 2);
    states.get('tpm').tokens.add(0, 95);
    expect(plan(m, states)).toEqual(['free']);
  });

  it('least-busy prefers fewer requests in flight', () => {
    const m = model([deployment('a'), deployment('b'), deployment('c')]);
    const states = new DeploymentStates();
    states.get('a').inFlight = 5;
    states.get('b').inFlight = 1;
    states.get('c').inFlight = 3;
    expect(plan(m, states, 'least-busy')).toEqual(['b', 'c', 'a']);
  });

  it('least-latency prefers the lowest moving-average TTFT and samples unmeasured ones first', () => {
    const m = model([deployment('slow'), deployment('fast'), deployment('new')]);
    const states = new DeploymentStates();
    states.get('slow').ewmaTtftMs = 900;
    states.get('fast').ewmaTtftMs = 120;
    expect(plan(m, states, 'least-latency')).toEqual(['new', 'fast', 'slow']);
  });

  it('lowest-cost prefers the cheapest deployment price, then the model price', () => {
    const m = model(
      [deployment('dear', { price: { input: 3, output: 15 } }), deployment('cheap', { price: { input: 0.1, output: 0.4 } }), deployment('default')],
      { price: { input: 1, output: 2 } },
    );
    expect(plan(m, new DeploymentStates(), 'lowest-cost')).toEqual(['cheap', 'default', 'dear']);
  });
});
