import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildUsageEvent, priceOf, tokensOf, type MeteredAttempt } from '../../../src/metering/index.js';
import { priceForInput } from '../../../src/metering/price.js';
import type { AttemptRecord } from '../../../src/router/index.js';
import { attempt } from './make-event.js';

const counts = (inputTokens: number, outputTokens: number, cachedTokens = 0, reasoningTokens = 0) => ({ inputTokens, outputTokens, cachedTokens, reasoningTokens });

describe('priceOf', () => {
  it('prices input and output per 1M tokens without float residue', () => {
    expect(priceOf({ input: 0.3, output: 1.2 }, counts(1000, 500))).toEqual({ cost: 0.0009, unpriced: false });
    expect(priceOf({ input: 0.1, output: 0.2 }, counts(3, 3)).cost).toBe(0.0000009);
    expect(priceOf({ input: 2, output: 8 }, counts(1_000_000, 1_000_000)).cost).toBe(10);
  });

  it('bills cached input at cached_input, else at the input price', () => {
    expect(priceOf({ input: 1, output: 2, cached_input: 0.1 }, counts(1_000_000, 0, 400_000)).cost).toBe(0.64);
    expect(priceOf({ input: 1, output: 2 }, counts(1_000_000, 0, 400_000)).cost).toBe(1);
  });

  it('bills input written to a prompt cache at cache_write, else at the input price (Anthropic: 1.25× input)', () => {
    const usage = tokensOf({ prompt_tokens: 1_000, completion_tokens: 100, total_tokens: 1_100, prompt_tokens_details: { cached_tokens: 200, cache_creation_tokens: 300 } });
    expect(usage).toMatchObject({ inputTokens: 1_000, cachedTokens: 200, cacheWriteTokens: 300 });
    // 500 fresh × 3 + 200 read × 0.3 + 300 written × 3.75 + 100 out × 15, per 1M.
    expect(priceOf({ input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 }, usage).cost).toBe(0.004185);
    expect(priceOf({ input: 3, output: 15, cached_input: 0.3 }, usage).cost).toBe(0.00396);
    // Inconsistent details (more read + written than input) never make the fresh part negative.
    expect(priceOf({ input: 1, output: 0, cache_write: 2 }, { inputTokens: 10, outputTokens: 0, cachedTokens: 6, cacheWriteTokens: 9, reasoningTokens: 0 }).cost).toBe(0.000014); // 6 read at input (no cached price) + 4 written × 2
  });

  it('bills a request at the tier its input length falls in (the last tier it exceeds), else the base prices', () => {
    const tiered = { input: 1, output: 2, tiers: [{ above_input_tokens: 32_000, input: 2, output: 4 }, { above_input_tokens: 128_000, input: 3, output: 6, cached_input: 0.3 }] };
    expect(priceOf(tiered, counts(32_000, 1_000)).cost).toBe(0.034); // at the boundary: base
    expect(priceOf(tiered, counts(32_001, 1_000)).cost).toBe(0.068002);
    // Cached input counts toward the length; the tier's own cached price applies.
    expect(priceOf(tiered, counts(200_000, 0, 100_000)).cost).toBe(0.33);
    expect(priceForInput(tiered, 1_000_000)).toMatchObject({ input: 3, output: 6 });
  });

  it('bills all output of a call that thought at the reasoning (thinking-mode) price where it is set, else at output', () => {
    expect(priceOf({ input: 0, output: 2, reasoning: 5 }, counts(0, 1_000_000, 0, 250_000)).cost).toBe(5);
    expect(priceOf({ input: 0, output: 2, reasoning: 5 }, counts(0, 1_000_000, 0, 0)).cost).toBe(2);
    expect(priceOf({ input: 0, output: 2 }, counts(0, 1_000_000, 0, 250_000)).cost).toBe(2);
  });

  it('rounds to 1e-9 and never makes a part negative on inconsistent details', () => {
    expect(priceOf({ input: 0.0001, output: 0 }, counts(1, 0)).cost).toBe(0);
    expect(priceOf({ input: 1, output: 1, cached_input: 0.5 }, counts(10, 0, 20)).cost).toBe(0.000005);
  });

  it('flags a missing price as unpriced rather than free', () => {
    expect(priceOf(undefined, counts(10, 10))).toEqual({ cost: 0, unpriced: true });
  });

  it('reads OpenAI usage details', () => {
    expect(
      tokensOf({ prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 7 } }),
    ).toEqual({ ...counts(10, 20, 4, 7), cacheWriteTokens: 0 });
  });
});

describe('buildUsageEvent', () => {
  it("accepts the router's AttemptRecord as is", () => {
    expectTypeOf<AttemptRecord>().toExtend<MeteredAttempt>();
  });

  it('takes ids, tenant, timing and reported usage from the attempt', () => {
    const e = buildUsageEvent(attempt({ attempt: 2, stream: true }), { price: { input: 0.3, output: 1.2 }, currency: 'CNY', appId: 'app_x' });
    expect(e).toMatchObject({
      id: 'req_1:2',
      requestId: 'req_1',
      attempt: 2,
      orgId: 'org_a',
      keyId: 'key_a1',
      appId: 'app_x',
      stream: true,
      inputTokens: 1000,
      outputTokens: 500,
      usageEstimated: false,
      cost: 0.0009,
      currency: 'CNY',
      latencyMs: 120,
      ttftMs: 40,
    });
  });

  it('records an attempt without reported usage as estimated, never as silent zeros', () => {
    const estimated = buildUsageEvent(attempt({ usage: undefined }), {
      price: { input: 1, output: 1 },
      currency: 'USD',
      estimate: () => ({ inputTokens: 100, outputTokens: 50.4 }),
    });
    expect(estimated).toMatchObject({ inputTokens: 100, outputTokens: 50, usageEstimated: true, cost: 0.00015 });
    const unknown = buildUsageEvent(attempt({ usage: undefined, status: 502, errorCode: 'upstream_error' }), { price: { input: 1, output: 1 }, currency: 'USD' });
    expect(unknown).toMatchObject({ inputTokens: 0, outputTokens: 0, usageEstimated: true, status: 502, errorCode: 'upstream_error' });
  });

  it("bills an adapter's estimated usage as given, flagged as estimated", () => {
    const e = buildUsageEvent(attempt({ usage: { prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 }, usageEstimated: true }), { price: { input: 1, output: 1 }, currency: 'USD' });
    expect(e).toMatchObject({ inputTokens: 9, outputTokens: 0, usageEstimated: true, cost: 0.000009 });
  });

  it('stores an unpriced model cost as null, and operator calls without a tenant', () => {
    const e = buildUsageEvent(attempt({ tenant: undefined }), { price: undefined, currency: 'USD' });
    expect(e).toMatchObject({ cost: null, orgId: null, keyId: null });
  });
});
