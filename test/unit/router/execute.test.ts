import { describe, expect, it } from 'vitest';
import { executeWithFailover, type ExecuteDeps } from '../../../src/router/execute.js';
import { DeploymentStates } from '../../../src/router/deployment-state.js';
import type { AttemptRecord } from '../../../src/router/lease.js';
import { invalidRequest, upstreamError, upstreamTimeout, type BaimoError } from '../../../src/protocol/errors.js';
import { ClientAbortError } from '../../../src/providers/transport.js';
import { ROUTING, deployment, fakeClock, model, seededRandom } from '../../support/fixtures.js';

function harness() {
  const clock = fakeClock();
  const sleeps: number[] = [];
  const records: AttemptRecord[] = [];
  const states = new DeploymentStates();
  const deps: ExecuteDeps = {
    states,
    observer: { attemptFinished: (r) => records.push(r) },
    now: clock.now,
    random: seededRandom(),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    providerByName: (name) => ({ name, kind: 'openai-compatible', base_url: 'http://x', headers: {}, timeouts: deployment('x').timeouts }),
  };
  return { clock, sleeps, records, states, deps };
}

const req = (m: ReturnType<typeof model>, retries = 2) => ({
  requestId: 'r1',
  endpoint: 'chat' as const,
  model: m,
  routing: { ...ROUTING, retries },
  stream: false,
  estimatedTokens: 10,
});

const overloaded = () => upstreamError('overloaded', { status: 503, code: 'overloaded', failure: 'transient' });

describe('executeWithFailover', () => {
  it('fails over from a 503 deployment to the next one, with one backoff', async () => {
    const h = harness();
    const m = model([deployment('first', { priority: 0 }), deployment('second', { priority: 1 })]);
    const tried: string[] = [];
    const result = await executeWithFailover(h.deps, req(m), async (lease) => {
      tried.push(lease.deployment.id);
      if (lease.deployment.id === 'first') throw overloaded();
      lease.finish({ status: 200 });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(tried).toEqual(['first', 'second']);
    expect(h.sleeps).toHaveLength(1);
    expect(h.sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(h.sleeps[0]).toBeLessThanOrEqual(100);
    expect(h.records.map((r) => [r.deploymentId, r.status])).toEqual([['first', 503], ['second', 200]]);
    expect(h.states.get('first').inFlight).toBe(0);
    expect(h.states.get('second').inFlight).toBe(0);
  });

  it('never retries a caller error', async () => {
    const h = harness();
    const m = model([deployment('a'), deployment('b')]);
    let calls = 0;
    await expect(
      executeWithFailover(h.deps, req(m), async () => {
        calls++;
        throw invalidRequest('bad', 'messages');
      }),
    ).rejects.toMatchObject({ status: 400, param: 'messages' });
    expect(calls).toBe(1);
  });

  it('bounds attempts by retries and returns the last error', async () => {
    const h = harness();
    const m = model([deployment('only')]);
    let calls = 0;
    const err = await executeWithFailover(h.deps, req(m, 2), async () => {
      calls++;
      throw upstreamTimeout('first_byte');
    }).catch((e: BaimoError) => e);
    expect(calls).toBe(3);
    expect(err).toMatchObject({ status: 504, code: 'upstream_timeout' });
    // Same deployment again: exponential backoff grows.
    expect(h.sleeps[1]!).toBeGreaterThanOrEqual(h.sleeps[0]! / 2);
  });

  it('waits out a short retry-after on the same deployment after a 429', async () => {
    const h = harness();
    h.deps.states.get('only'); // exists
    const m = model([deployment('only')]);
    let calls = 0;
    await executeWithFailover(h.deps, { ...req(m, 1), routing: { ...ROUTING, retries: 1, failure_threshold: 5 } }, async (lease) => {
      calls++;
      if (calls === 1) throw upstreamError('slow down', { status: 429, code: 'rate_limit_exceeded', failure: 'rate_limited', retryAfter: 1 });
      lease.finish({ status: 200 });
      return 'ok';
    }).catch(() => undefined);
    // The 429 cooled the only deployment for 1 s: the loop waits that long, then probes again.
    expect(calls).toBe(2);
    expect(h.sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(h.states.get('only').circuit.state).toBe('closed');
  });

  it('cools down a deployment with an exhausted quota and moves on', async () => {
    const h = harness();
    const m = model([deployment('broke', { priority: 0 }), deployment('rich', { priority: 1 })]);
    await executeWithFailover(h.deps, req(m), async (lease) => {
      if (lease.deployment.id === 'broke') throw upstreamError('no credit', { status: 429, code: 'insufficient_quota', failure: 'quota' });
      lease.finish({ status: 200 });
      return 'ok';
    });
    expect(h.states.get('broke').circuit.state).toBe('open');
    expect(h.states.get('broke').circuit.openUntil - h.clock.now()).toBeGreaterThan(60_000);
  });

  it('answers 503 no_deployment_available with retry-after when every circuit is open', async () => {
    const h = harness();
    const m = model([deployment('a')]);
    for (let i = 0; i < 3; i++) {
      await executeWithFailover(h.deps, req(m, 0), async () => {
        throw overloaded();
      }).catch(() => undefined);
    }
    const err = await executeWithFailover(h.deps, req(m, 0), async () => 'never').catch((e: BaimoError) => e);
    expect(err).toMatchObject({ status: 503, code: 'no_deployment_available', retryAfter: 10 });
  });

  it('stops at once when the client goes away', async () => {
    const h = harness();
    const m = model([deployment('a'), deployment('b')]);
    let calls = 0;
    await expect(
      executeWithFailover(h.deps, req(m), async () => {
        calls++;
        throw new ClientAbortError();
      }),
    ).rejects.toBeInstanceOf(ClientAbortError);
    expect(calls).toBe(1);
    expect(h.records[0]!.status).toBe(499);
  });
});
