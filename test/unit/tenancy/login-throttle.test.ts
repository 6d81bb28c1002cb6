import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLoginThrottle, loginThrottleSettings, type LoginThrottle } from '../../../src/tenancy/login-throttle.js';
import { REDIS_URL, requireService } from '../../support/backends.js';

const randomOctet = () => Math.floor(Math.random() * 250);
const options = { maxPerEmail: 3, maxPerAddress: 5, windowMs: 60_000 };

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    return err as { status: number; code: string; retryAfter: number };
  }
  return undefined;
}

function contract(name: string, make: (now: () => number) => LoginThrottle) {
  describe(`login throttle [${name}]`, () => {
    it('refuses an email after maxPerEmail failures, with retry-after, until a success clears it', async () => {
      const t = make(() => Date.now());
      const email = `ada-${Math.random()}@example.com`;
      // Fresh addresses each run: Redis keeps counts between runs for the window.
      const ip = () => `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`;
      const [a1, a2, a3] = [ip(), ip(), ip()];
      for (let i = 0; i < 3; i++) {
        await t.check(email, a1);
        await t.failed(email, a1);
      }
      const err = await refusal(t.check(email.toUpperCase(), a2));
      expect(err).toMatchObject({ status: 429, code: 'too_many_login_attempts' });
      expect(err!.retryAfter).toBeGreaterThan(0);
      expect(err!.retryAfter).toBeLessThanOrEqual(60);
      // Another email from another address is not affected.
      await expect(t.check(`bob-${Math.random()}@example.com`, a3)).resolves.toBeUndefined();
      await t.succeeded(email);
      await expect(t.check(email, a3)).resolves.toBeUndefined();
    });

    it('refuses an address spraying many emails after maxPerAddress failures', async () => {
      const t = make(() => Date.now());
      const address = `10.1.${randomOctet()}.${randomOctet()}`;
      for (let i = 0; i < 5; i++) await t.failed(`user${i}-${Math.random()}@example.com`, address);
      expect(await refusal(t.check('fresh@example.com', address))).toMatchObject({ status: 429 });
      await expect(t.check('fresh@example.com', '192.0.2.1')).resolves.toBeUndefined();
    });
  });
}

contract('memory', (clock) => createLoginThrottle({ now: clock, options }));

describe('login throttle [memory] window', () => {
  it('forgets failures once the window has passed', async () => {
    let at = 0;
    const t = createLoginThrottle({ now: () => at, options });
    for (let i = 0; i < 3; i++) await t.failed('ada@example.com', '10.0.0.1');
    expect(await refusal(t.check('ada@example.com', '10.0.0.1'))).toMatchObject({ retryAfter: 60 });
    at += 60_000;
    await expect(t.check('ada@example.com', '10.0.0.1')).resolves.toBeUndefined();
  });
});

const clients: Redis[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
});
requireService('Redis', REDIS_URL, 'login throttle on Redis', () => {
  contract('redis', (clock) => {
    const redis = new Redis(REDIS_URL!);
    clients.push(redis);
    return createLoginThrottle({ redis, now: clock, options });
  });
  it('two replicas share the count', async () => {
    const a = new Redis(REDIS_URL!);
    const b = new Redis(REDIS_URL!);
    clients.push(a, b);
    const one = createLoginThrottle({ redis: a, now: Date.now, options });
    const two = createLoginThrottle({ redis: b, now: Date.now, options });
    const email = `shared-${Math.random()}@example.com`;
    await one.failed(email, '10.9.0.1');
    await two.failed(email, '10.9.0.2');
    await one.failed(email, '10.9.0.3');
    expect(await refusal(two.check(email, '10.9.0.4'))).toMatchObject({ status: 429 });
  });
});

describe('loginThrottleSettings', () => {
  it('reads the environment: defaults, 0 turns a limit off, bad values are refused by name', () => {
    expect(loginThrottleSettings({})).toEqual({ maxPerEmail: 10, maxPerAddress: 50, windowMs: 900_000 });
    expect(loginThrottleSettings({ BAIMO_LOGIN_MAX_FAILURES_PER_ADDRESS: '0', BAIMO_LOGIN_WINDOW_SECONDS: '60' })).toEqual({ maxPerEmail: 10, maxPerAddress: Infinity, windowMs: 60_000 });
    expect(() => loginThrottleSettings({ BAIMO_LOGIN_MAX_FAILURES_PER_EMAIL: 'ten' })).toThrow(/BAIMO_LOGIN_MAX_FAILURES_PER_EMAIL/);
    expect(() => loginThrottleSettings({ BAIMO_LOGIN_WINDOW_SECONDS: '0' })).toThrow(/≥ 1/);
  });

  it('with the address limit off, many failures from one address refuse nobody else', async () => {
    const t = createLoginThrottle({ now: Date.now, options: loginThrottleSettings({ BAIMO_LOGIN_MAX_FAILURES_PER_ADDRESS: '0' }) });
    for (let i = 0; i < 200; i++) await t.failed(`u${i}@example.com`, '10.0.0.9');
    await expect(t.check('someone@example.com', '10.0.0.9')).resolves.toBeUndefined();
  });
});
