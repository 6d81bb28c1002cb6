import { createHash } from 'node:crypto';
import { BaimoError } from '../protocol/errors.js';
import type { Redis } from '../store/index.js';

/**
 * Failed console sign-ins, counted per email and per client address in a fixed window. bcrypt
 * makes each guess slow, but not slow enough against a patient script: once an email or an
 * address reaches its limit, sign-in is refused with 429 and `retry-after` until the window ends,
 * before the password is even checked. A success clears the email's count (not the address's,
 * or one valid account would launder guesses against others from the same address).
 *
 * Embedded mode counts in memory; scale-out mode counts in Redis so that the limit holds across
 * replicas (one atomic INCR + PEXPIRE-on-create per counter: no read-modify-write race). Emails
 * are hashed in the counter keys, so Redis holds no addresses.
 */

export interface LoginThrottleOptions {
  /** Failures per email within the window before sign-in is refused. */
  maxPerEmail: number;
  /** Failures per client address within the window (several people may share an address). */
  maxPerAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: Readonly<LoginThrottleOptions> = Object.freeze({ maxPerEmail: 10, maxPerAddress: 50, windowMs: 15 * 60_000 });

/**
 * From BAIMO_LOGIN_MAX_FAILURES_PER_EMAIL / _PER_ADDRESS (0 turns that limit off, e.g. behind a
 * proxy where every sign-in shares one address) and BAIMO_LOGIN_WINDOW_SECONDS.
 */
export function loginThrottleSettings(env: Record<string, string | undefined>): LoginThrottleOptions {
  const read = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, not '${raw}'.`);
    return n;
  };
  const limit = (n: number) => (n === 0 ? Infinity : n);
  return {
    maxPerEmail: limit(read('BAIMO_LOGIN_MAX_FAILURES_PER_EMAIL', DEFAULT_LOGIN_THROTTLE.maxPerEmail, 0)),
    maxPerAddress: limit(read('BAIMO_LOGIN_MAX_FAILURES_PER_ADDRESS', DEFAULT_LOGIN_THROTTLE.maxPerAddress, 0)),
    windowMs: read('BAIMO_LOGIN_WINDOW_SECONDS', DEFAULT_LOGIN_THROTTLE.windowMs / 1000, 1) * 1000,
  };
}

export interface LoginThrottle {
  /** Throws 429 `too_many_login_attempts` while the email or the address is over its limit. */
  check(email: string, address: string): Promise<void>;
  failed(email: string, address: string): Promise<void>;
  succeeded(email: string): Promise<void>;
}

interface Counter {
  /** Current count and ms until the window ends (0 when there is no count). */
  read(key: string): Promise<{ count: number; resetMs: number }>;
  increment(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

export function createLoginThrottle(deps: { redis?: Redis; now: () => number; options?: Partial<LoginThrottleOptions> }): LoginThrottle {
  const options = { ...DEFAULT_LOGIN_THROTTLE, ...deps.options };
  const counter = deps.redis ? redisCounter(deps.redis, options.windowMs) : memoryCounter(deps.now, options.windowMs);
  const emailKey = (email: string) => `baimo:login-fail:email:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32)}`;
  const addressKey = (address: string) => `baimo:login-fail:addr:${address}`;
  return {
    async check(email, address) {
      const [byEmail, byAddress] = await Promise.all([counter.read(emailKey(email)), counter.read(addressKey(address))]);
      const over = [byEmail.count >= options.maxPerEmail ? byEmail.resetMs : 0, byAddress.count >= options.maxPerAddress ? byAddress.resetMs : 0];
      const waitMs = Math.max(...over);
      if (waitMs > 0) throw tooManyLoginAttempts(waitMs);
    },
    async failed(email, address) {
      await Promise.all([counter.increment(emailKey(email)), counter.increment(addressKey(address))]);
    },
    async succeeded(email) {
      await counter.clear(emailKey(email));
    },
  };
}

export const tooManyLoginAttempts = (waitMs: number) =>
  new BaimoError('rate_limit', 'Too many failed sign-in attempts. Try again later.', {
    status: 429,
    code: 'too_many_login_attempts',
    retryAfter: Math.max(1, Math.ceil(waitMs / 1000)),
  });

function memoryCounter(now: () => number, windowMs: number): Counter {
  const counts = new Map<string, { count: number; resetAt: number }>();
  const live = (key: string) => {
    const c = counts.get(key);
    if (c && c.resetAt <= now()) {
      counts.delete(key);
      return undefined;
    }
    return c;
  };
  return {
    async read(key) {
      const c = live(key);
      return c ? { count: c.count, resetMs: c.resetAt - now() } : { count: 0, resetMs: 0 };
    },
    async increment(key) {
      const c = live(key);
      if (c) c.count += 1;
      else {
        // Bounded without a timer: an address spraying new emails cannot grow this forever.
        if (counts.size >= 100_000) for (const [k, v] of counts) if (v.resetAt <= now()) counts.delete(k);
        counts.set(key, { count: 1, resetAt: now() + windowMs });
      }
    },
    async clear(key) {
      counts.delete(key);
    },
  };
}

/** INCR, and start the window only when the counter is new: a fixed window, atomic in one script. */
const INCREMENT = `local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return n`;

function redisCounter(redis: Redis, windowMs: number): Counter {
  return {
    async read(key) {
      const [[, count], [, ttl]] = (await redis.multi().get(key).pttl(key).exec()) as [[unknown, string | null], [unknown, number]];
      return count === null ? { count: 0, resetMs: 0 } : { count: Number(count), resetMs: ttl > 0 ? ttl : windowMs };
    },
    async increment(key) {
      await redis.eval(INCREMENT, 1, key, String(windowMs));
    },
    async clear(key) {
      await redis.del(key);
    },
  };
}
