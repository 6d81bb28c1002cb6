import { expect } from 'vitest';
import { refusal, setup, type CaseContext } from './harness.js';

const key = (over: object = {}) => ({ id: 'key:k1', ...over });
const org = (over: object = {}) => ({ id: 'org:o1', ...over });
const admitNothing = { estimatedTokens: 0, estimatedCost: 0 };

/** RPM, TPM, retry-after and the x-ratelimit-* headers. */
export function rateCases({ harness, test }: CaseContext): void {
  test('RPM admits exactly the limit, then recovers as the bucket refills', async () => {
    const { clock, limiter } = setup(harness);
    const scopes = [key({ rpm: 3 })];
    for (let i = 0; i < 3; i++) await (await limiter.admit({ scopes, ...admitNothing })).settle({ tokens: 0, cost: 0 });
    const err = await refusal(limiter.admit({ scopes, ...admitNothing }));
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests', retryable: true, retryAfter: 20 });
    expect(err.message).toContain('Limit 3, Used 3, Requested 1');
    clock.advance(19_999);
    expect((await refusal(limiter.admit({ scopes, ...admitNothing }))).retryAfter).toBe(0.001);
    clock.advance(1);
    await limiter.admit({ scopes, ...admitNothing });
    await refusal(limiter.admit({ scopes, ...admitNothing }));
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) await limiter.admit({ scopes, ...admitNothing });
    await refusal(limiter.admit({ scopes, ...admitNothing }));
  });

  test('a refused request does not count against RPM', async () => {
    const { clock, limiter } = setup(harness);
    const scopes = [key({ rpm: 1 })];
    await limiter.admit({ scopes, ...admitNothing });
    for (let i = 0; i < 5; i++) await refusal(limiter.admit({ scopes, ...admitNothing }));
    clock.advance(60_000);
    await limiter.admit({ scopes, ...admitNothing });
  });

  test('TPM reserves the estimate; settling lower frees room, settling higher takes more', async () => {
    const { limiter } = setup(harness);
    const scopes = [key({ tpm: 1000 })];
    const first = await limiter.admit({ scopes, estimatedTokens: 600, estimatedCost: 0 });
    const err = await refusal(limiter.admit({ scopes, estimatedTokens: 600, estimatedCost: 0 }));
    // 200 tokens over the limit at 1000 tokens/min: 12 s.
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'tokens', retryable: true, retryAfter: 12 });
    expect(err.message).toContain('Limit 1000, Used 600, Requested 600');
    await first.settle({ tokens: 100, cost: 0 });
    const second = await limiter.admit({ scopes, estimatedTokens: 600, estimatedCost: 0 });
    expect(second.headers['x-ratelimit-remaining-tokens']).toBe('300');
    await second.settle({ tokens: 850, cost: 0 });
    expect((await refusal(limiter.admit({ scopes, estimatedTokens: 100, estimatedCost: 0 }))).type).toBe('tokens');
  });

  test('release returns the token reservation but the request still counts', async () => {
    const { limiter } = setup(harness);
    const scopes = [key({ tpm: 1000, rpm: 2 })];
    await (await limiter.admit({ scopes, estimatedTokens: 800, estimatedCost: 0 })).release();
    const again = await limiter.admit({ scopes, estimatedTokens: 800, estimatedCost: 0 });
    expect(again.headers['x-ratelimit-remaining-requests']).toBe('0');
    await again.release();
    expect((await refusal(limiter.admit({ scopes, estimatedTokens: 1, estimatedCost: 0 }))).type).toBe('requests');
  });

  test('an estimate larger than the TPM limit is refused outright, not retryable', async () => {
    const { limiter } = setup(harness);
    const err = await refusal(limiter.admit({ scopes: [key({ tpm: 1000 })], estimatedTokens: 1001, estimatedCost: 0 }));
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'tokens', retryable: false, retryAfter: undefined });
    expect(err.message).toMatch(/Request too large .* Limit 1000, Requested 1001/);
  });

  test('retry-after is the longest wait over every refusing scope', async () => {
    const { limiter } = setup(harness);
    const scopes = [key({ rpm: 1 }), org({ tpm: 1000 })];
    await limiter.admit({ scopes, estimatedTokens: 900, estimatedCost: 0 });
    // The key's RPM frees in 60 s, the org's TPM in 54 s; only after both may the client retry.
    const err = await refusal(limiter.admit({ scopes, estimatedTokens: 1000, estimatedCost: 0 }));
    expect(err).toMatchObject({ type: 'requests', retryAfter: 60 });
    const onlyTokens = await refusal(limiter.admit({ scopes: [org({ tpm: 1000 })], estimatedTokens: 1000, estimatedCost: 0 }));
    expect(onlyTokens).toMatchObject({ type: 'tokens', retryAfter: 54 });
  });

  test('headers: OpenAI names and duration format, for the tightest scope per dimension', async () => {
    const { limiter } = setup(harness);
    const first = await limiter.admit({ scopes: [key({ rpm: 60, tpm: 1000 })], estimatedTokens: 100, estimatedCost: 0 });
    expect(first.headers).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '900',
      'x-ratelimit-reset-tokens': '6s',
    });
    const scopes = [key({ id: 'key:k2', rpm: 100, tpm: 10 }), org({ rpm: 10, tpm: 100_000 })];
    const both = await limiter.admit({ scopes, estimatedTokens: 7, estimatedCost: 0 });
    expect(both.headers).toMatchObject({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '9',
      'x-ratelimit-reset-requests': '6s',
      'x-ratelimit-limit-tokens': '10',
      'x-ratelimit-remaining-tokens': '3',
      'x-ratelimit-reset-tokens': '42s',
    });
    const err = await refusal(limiter.admit({ scopes, estimatedTokens: 7, estimatedCost: 0 }));
    expect(err.headers['x-ratelimit-remaining-tokens']).toBe('3');
    expect(err.headers['x-ratelimit-reset-requests']).toBe('6s');
    const none = await limiter.admit({ scopes: [key({ id: 'key:unlimited' })], estimatedTokens: 1, estimatedCost: 0 });
    expect(none.headers).toEqual({});
  });

  test('a refusal by the org charges the key nothing (all or nothing)', async () => {
    const { limiter } = setup(harness);
    const k = key({ rpm: 2, tpm: 1000, maxConcurrency: 1, budget: 10 });
    await limiter.seedSpent('key:k1', 0);
    await limiter.seedSpent('org:o1', 5);
    const err = await refusal(limiter.admit({ scopes: [k, org({ budget: 5 })], estimatedTokens: 400, estimatedCost: 1 }));
    expect(err.code).toBe('budget_exceeded');
    await limiter.admit({ scopes: [k, org({ rpm: 1 })], ...admitNothing });
    expect(await limiter.inspect('key:k1')).toEqual({ spent: 0, reserved: 0, inFlight: 1 });
    const refused = await refusal(limiter.admit({ scopes: [key({ id: 'key:k2', rpm: 5 }), org({ rpm: 1 })], ...admitNothing }));
    expect(refused.type).toBe('requests');
    const k2 = await limiter.admit({ scopes: [key({ id: 'key:k2', rpm: 5, tpm: 1000 })], estimatedTokens: 1000, estimatedCost: 0 });
    expect(k2.headers['x-ratelimit-remaining-requests']).toBe('4');
    expect(await limiter.inspect('key:k2')).toEqual({ spent: undefined, reserved: 0, inFlight: 1 });
  });

  test('bad limits are a 500 naming the field, not a tenant error', async () => {
    const { limiter } = setup(harness);
    const err = await refusal(limiter.admit({ scopes: [key({ rpm: 0 })], ...admitNothing }));
    expect(err).toMatchObject({ status: 500, kind: 'internal' });
    expect(err.message).toContain('key:k1.rpm');
    expect((await refusal(limiter.admit({ scopes: [key(), key()], ...admitNothing }))).status).toBe(500);
    expect((await refusal(limiter.admit({ scopes: [key()], estimatedTokens: -1, estimatedCost: 0 }))).status).toBe(500);
  });
}
