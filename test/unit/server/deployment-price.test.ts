import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { DeploymentConfig, ModelConfig } from '../../../src/config/types.js';
import { createMemoryLimiter } from '../../../src/limits/index.js';
import { BaimoError } from '../../../src/protocol/errors.js';
import { guardCall, type CallGuardDeps } from '../../../src/server/call-guard.js';
import type { KeyPrincipal } from '../../../src/tenancy/index.js';

/**
 * A deployment may override its model's price, and metering bills a call at the price of the
 * deployment that answered (usage-event.ts via priceFor). Budgets must spend the same amount, or
 * a key's hard stop drifts from its bill: the guard reserves at the dearest price the router may
 * pick and settles at the serving deployment's.
 */

const deployment = (id: string, price?: DeploymentConfig['price']): DeploymentConfig => ({
  id, provider: 'p', model: 'up', weight: 1, priority: 0, tags: {}, timeouts: { connect_ms: 1, first_byte_ms: 1, idle_ms: 1, total_ms: 1 }, price,
});
/** $1 per 1M tokens on the model; its second deployment charges $3. */
const MODEL: ModelConfig = { name: 'm', capabilities: ['chat'], price: { input: 1, output: 1 }, owned_by: 'baimo', deployments: [deployment('m#0'), deployment('m#1', { input: 3, output: 3 })] };
const MILLION = { prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000 };

const key = (budget: number): KeyPrincipal =>
  Object.freeze({
    kind: 'key' as const, keyId: 'k1', keyName: 'k1', orgId: 'o1', orgName: 'o1', models: null,
    limits: Object.freeze({ budget }), orgLimits: Object.freeze({ budgetAlertThresholds: Object.freeze([]) as unknown as number[] }), logBodies: false,
  });

function setup() {
  const now = () => Date.UTC(2026, 10, 26);
  const limiter = createMemoryLimiter({ now, loadSpent: async () => 0 });
  const deps: CallGuardDeps = { limiter, warn: () => {}, getOrg: async () => expect.fail('no org lookups'), now };
  const call = async (p: KeyPrincipal, inputTokens: number) => guardCall(deps, { principal: p, id: 'req', headers: {} } as unknown as FastifyRequest, MODEL, { inputTokens, maxOutputTokens: 0 });
  return { limiter, call };
}

describe('budgets follow the price of the deployment that served', () => {
  it('settles at the serving deployment\'s price, and at the model\'s when it uses that', async () => {
    const { limiter, call } = setup();
    const dear = await call(key(100), 1000);
    dear.ctx.servedBy = 'm#1';
    await dear.settle(MILLION);
    expect(await limiter.spent('key:k1')).toBe(3);

    const cheap = await call(key(100), 1000);
    cheap.ctx.servedBy = 'm#0';
    await cheap.settle(MILLION);
    expect(await limiter.spent('key:k1')).toBe(4);
  });

  it('reserves at the dearest deployment\'s price, so a budget that only the cheaper one fits refuses', async () => {
    const { call } = setup();
    // 1M tokens: $1 at the model's price, $3 on m#1. A $2 budget cannot be sure to cover it.
    const err = await call(key(2), 1_000_000).then(
      () => expect.fail('expected a refusal'),
      (e: unknown) => e,
    );
    expect(BaimoError.is(err) && err.code).toBe('budget_exceeded');
    expect(await call(key(3), 1_000_000)).toBeDefined();
  });
});
