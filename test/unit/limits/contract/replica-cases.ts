import { expect } from 'vitest';
import { fakeClock } from '../../../support/fixtures.js';
import { many, pause, type CaseContext } from './harness.js';

/** Two limiters over one shared state, as two replicas behind a load balancer. */
export function replicaCases({ harness, test }: CaseContext): void {
  test('two replicas stay exact under concurrent load', async () => {
    const clock = fakeClock();
    const space = harness.space();
    const replicas = [0, 1].map(() => space.limiter({ now: clock.now, loadSpent: async () => 0 }));
    const scopes = [
      { id: 'key:k1', rpm: 150, tpm: 100_000, maxConcurrency: 40, budget: 2 },
      { id: 'org:o1', rpm: 1000, budget: 10 },
    ];
    let peak = 0;
    let inFlight = 0;
    const outcomes = await many(200, async (i) => {
      await pause(i);
      const replica = replicas[i % 2]!;
      for (;;) {
        const admission = await replica.admit({ scopes, estimatedTokens: 400, estimatedCost: 0.02 }).catch((err) => err);
        if (!('settle' in admission)) {
          if (admission.code !== 'concurrency_limit_exceeded') return admission.code as string;
          await pause(i + 1);
          continue;
        }
        peak = Math.max(peak, ++inFlight);
        await pause(i + 2);
        inFlight -= 1;
        await admission.settle({ tokens: 300, cost: 0.015 });
        return 'ok';
      }
    });
    const ok = outcomes.filter((o) => o === 'ok').length;
    expect(peak).toBeLessThanOrEqual(40);
    // RPM allows 150. The budget refuses once spent + reserved + 0.02 > 2, so at least 99 ran;
    // settled spend never passes 2, so at most 133 ran at 0.015 each.
    expect(ok).toBeGreaterThanOrEqual(99);
    expect(ok).toBeLessThanOrEqual(133);
    expect(outcomes.filter((o) => o !== 'ok' && o !== 'budget_exceeded' && o !== 'rate_limit_exceeded')).toEqual([]);
    expect(Math.round((await replicas[0]!.spent('key:k1')) * 1e6)).toBe(ok * 15_000);
    expect(Math.round((await replicas[1]!.spent('org:o1')) * 1e6)).toBe(ok * 15_000);
    expect(await replicas[1]!.inspect('key:k1')).toMatchObject({ reserved: 0, inFlight: 0 });
    const rpmOnly = [{ id: 'key:rpm', rpm: 50 }];
    const admitted = await many(120, async (i) =>
      replicas[i % 2]!.admit({ scopes: rpmOnly, estimatedTokens: 0, estimatedCost: 0 }).then(() => 1, () => 0),
    );
    expect(admitted.reduce((a: number, b: number) => a + b, 0)).toBe(50);
  });
}
