import { expect, it } from 'vitest';
import { BaimoError } from '../../../../src/protocol/errors.js';
import type { Limiter, LimiterOptions } from '../../../../src/limits/index.js';
import { fakeClock } from '../../../support/fixtures.js';

/** Options a contract case may pass; each backend adds what it needs (a connection, a prefix). */
export interface CaseLimiterOptions extends LimiterOptions {
  now: () => number;
}

/** Isolated limiter state: memory = a fresh map, Redis = a fresh key prefix. */
export interface LimiterSpace {
  /** A limiter over this space. On a shared backend, two calls give two "replicas" of one state. */
  limiter(opts: CaseLimiterOptions): Limiter;
}

export interface LimiterHarness {
  name: string;
  space(): LimiterSpace;
}

/** Case names that a backend may skip, each with a reason (hono's common.case.test pattern). */
export type SkipList = Record<string, string>;

export interface CaseContext {
  harness: LimiterHarness;
  test(name: string, fn: () => Promise<void>): void;
}

export function caseContext(harness: LimiterHarness, skip: SkipList): CaseContext {
  return {
    harness,
    test(name, fn) {
      const reason = skip[name];
      if (reason) it.skip(`${name} — skipped: ${reason}`, fn);
      else it(name, fn);
    },
  };
}

/** A fresh space, a fake clock, and one limiter on both. */
export function setup(harness: LimiterHarness, opts: Partial<CaseLimiterOptions> = {}) {
  const clock = fakeClock();
  const space = harness.space();
  const limiter = space.limiter({ now: clock.now, ...opts });
  return { clock, space, limiter };
}

/** The BaimoError a refused admit throws. */
export async function refusal(promise: Promise<unknown>): Promise<BaimoError> {
  try {
    await promise;
  } catch (err) {
    if (BaimoError.is(err)) return err;
    throw err;
  }
  expect.fail('expected the limiter to refuse');
}

/** `count` calls started at once, as that many concurrent HTTP requests would be. */
export function many<T>(count: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
}

/** Deterministic jitter: lets a microtask or network round-trip interleave other requests. */
export async function pause(i: number): Promise<void> {
  for (let k = 0; k < i % 5; k++) await new Promise<void>((resolve) => setImmediate(resolve));
}
