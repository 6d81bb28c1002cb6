import type { FastifyRequest } from 'fastify';
import { expect, it } from 'vitest';
import type { ModelConfig } from '../../../src/config/types.js';
import { createMemoryLimiter } from '../../../src/limits/index.js';
import { BaimoError } from '../../../src/protocol/errors.js';
import { guardCall } from '../../../src/server/call-guard.js';
import type { KeyPrincipal } from '../../../src/tenancy/index.js';

/**
 * A budget reservation for a model with a thinking-mode output price assumes the call thinks: a
 * thinking call bills all its output at that price (metering/price.ts), so reserving at the plain
 * output price would let a call through that the budget cannot pay for.
 */
const model = (price: ModelConfig['price']): ModelConfig => ({ name: 'm', capabilities: ['chat'], price, owned_by: 'baimo', deployments: [] });
const key: KeyPrincipal = {
  kind: 'key',
  keyId: 'key_1',
  keyName: 'k',
  orgId: 'org_1',
  orgName: 'o',
  models: null,
  // $0.002: 1,000 output tokens ($0.001 at $1/1M plain output) fit; at $40/1M thinking output ($0.04) they do not.
  limits: { budget: 0.002 },
  orgLimits: { budgetAlertThresholds: [] },
  logBodies: false,
};

it('reserves at the thinking-mode output price where the model has one', async () => {
  const limiter = createMemoryLimiter({ now: () => 0 });
  await limiter.seedSpent('key:key_1', 0);
  await limiter.seedSpent('org:org_1', 0);
  const deps = { limiter, warn: () => {}, getOrg: async () => ({}) as never, now: () => 0 };
  // async: guardCall answers synchronously when the limiter can, and throws its refusal then.
  const call = async (m: ModelConfig) => guardCall(deps, { principal: key, id: 'r', headers: {} } as unknown as FastifyRequest, m, { inputTokens: 0, maxOutputTokens: 1_000 });

  const plain = await call(model({ input: 0, output: 1 }));
  await plain.settle(undefined);
  const refused = await call(model({ input: 0, output: 1, reasoning: 40 })).catch((e: unknown) => e);
  expect(BaimoError.is(refused) && refused.code).toBe('budget_exceeded');
});
