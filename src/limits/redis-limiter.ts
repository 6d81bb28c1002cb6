import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createAdmission, type AdmissionEnd } from './admission.js';
import { admitWithKnownSpend, type UnknownSpend } from './load-spent.js';
import { leaseOptions } from './options.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { LuaScript, ScriptBatcher } from './redis-batch.js';
import { ADMIT_LUA, batchedScript, FINISH_LUA, INSPECT_LUA } from './redis-scripts.js';
import { estimateOf, fromMicro, misconfigured, toCostMicro, toScopeSpecs, type ScopeSpec } from './scope-spec.js';
import type { Admission, AdmitRequest, BudgetAlert, Limiter, LimiterOptions, ScopeSnapshot } from './types.js';
import { refusalError, toVerdict, type ScopeReading } from './verdict.js';

export interface RedisLimiterOptions extends LimiterOptions {
  /** A command connection; the limiter does not close it (it is shared with caches and notices). */
  redis: Redis;
  /**
   * Epoch ms. Leave unset in production: the scripts then read the Redis server's TIME, the one
   * clock every replica agrees on. Replica clocks that drift would let each replica see a fuller
   * bucket than the others. Set it only in tests (fake clocks).
   */
  now?: () => number;
  /** Key namespace, default `baimo:limits:`. Use a hash tag (`{baimo}:limits:`) on Redis Cluster. */
  prefix?: string;
  /** Idle scopes' keys expire after this long (default 1 hour; never less than the lease). */
  idleTtlMs?: number;
  /** Admission ids must be unique across replicas. */
  newId?: () => string;
}

const DEFAULT_IDLE_TTL_MS = 60 * 60_000;
const SERVER_CLOCK = -1;
const READING_WIDTH = 6;

const ADMIT_MANY = new LuaScript(batchedScript(ADMIT_LUA));
const FINISH_MANY = new LuaScript(batchedScript(FINISH_LUA));
const INSPECT = new LuaScript(INSPECT_LUA);

const none = (value: number | undefined): number => value ?? -1;

/**
 * Limits shared by every replica through one Redis. Each operation is one script step, so a check
 * and its commit are one atomic step across all scopes of a request; the steps of one event-loop
 * turn travel in one script call. Requires a single Redis (or a prefix with a hash tag on Cluster:
 * every key of a call must live in one slot, which the tag guarantees).
 */
export function createRedisLimiter(opts: RedisLimiterOptions): Limiter {
  const { redis } = opts;
  const prefix = opts.prefix ?? 'baimo:limits:';
  const { leaseMs, concurrencyRetryAfterMs } = leaseOptions(opts);
  // Keys outlive every lease they hold, so a slot is never dropped before its lease ends.
  const ttlMs = Math.max(opts.idleTtlMs ?? DEFAULT_IDLE_TTL_MS, leaseMs);
  const newId = opts.newId ?? randomUUID;
  // Admissions and settlements of one event-loop turn: one script call each (redis-batch.ts).
  const admits = new ScriptBatcher(redis, ADMIT_MANY);
  const finishes = new ScriptBatcher(redis, FINISH_MANY);
  let closed = false;

  const keysOf = (scopeId: string) => [`${prefix}s:${scopeId}`, `${prefix}l:${scopeId}`];
  const allKeys = (specs: ScopeSpec[]) => specs.flatMap((spec) => keysOf(spec.id));
  const clock = (override: number | undefined) => override ?? opts.now?.() ?? SERVER_CLOCK;

  const seedSpent = async (scopeId: string, amount: number): Promise<void> => {
    const [hash] = keysOf(scopeId);
    const micro = toCostMicro('seedSpent amount', amount);
    const results = await redis.multi().hsetnx(hash!, 'spent', micro).pexpire(hash!, ttlMs).exec();
    const failed = results?.find(([err]) => err)?.[0];
    if (failed) throw failed;
  };

  // `keys` are the admission's own (allKeys(specs)), built once per request.
  const finish = async (specs: ScopeSpec[], keys: string[], id: string, estTokens: number, end: AdmissionEnd): Promise<BudgetAlert[]> => {
    const settle = end.mode === 'settle';
    const args: (string | number)[] = [
      clock(end.now),
      id,
      ttlMs,
      (settle ? end.tokens : 0) - estTokens,
      settle ? end.costMicro : 0,
      settle ? 1 : 0,
    ];
    for (const spec of specs) {
      args.push(none(spec.tpm), none(spec.budgetMicro), spec.thresholds.length);
      for (const t of spec.thresholds) args.push(String(t.fraction), t.levelMicro);
    }
    const flat = (await finishes.run(keys, args)) as number[];
    const alerts: BudgetAlert[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      const spec = specs[flat[i]! - 1]!;
      const threshold = spec.thresholds[flat[i + 1]! - 1]!.fraction;
      alerts.push({ scopeId: spec.id, threshold, spent: fromMicro(flat[i + 2]!), budget: spec.budget! });
    }
    return alerts;
  };

  return {
    async admit(req: AdmitRequest): Promise<Admission> {
      if (closed) throw misconfigured('admit() after close()');
      const specs = toScopeSpecs(req.scopes);
      const est = estimateOf(req);
      const id = newId();
      const keys = allKeys(specs);
      const attempt = async (): Promise<Admission | UnknownSpend> => {
        const args: (string | number)[] = [clock(req.now), id, leaseMs, ttlMs, est.tokens, est.costMicro];
        for (const spec of specs) args.push(none(spec.rpm), none(spec.tpm), none(spec.maxConcurrency), none(spec.budgetMicro));
        const [status, now, ...rest] = (await admits.run(keys, args)) as number[];
        if (status === 2) return { unknownSpend: rest.map((i) => specs[i - 1]!.id) };
        const verdicts = specs.map((spec, i) => toVerdict(spec, readingAt(rest, i)));
        if (status === 0) throw refusalError(verdicts, est, concurrencyRetryAfterMs, now!)!;
        return createAdmission(rateLimitHeaders(verdicts), (end) => finish(specs, keys, id, est.tokens, end));
      };
      return admitWithKnownSpend(attempt, opts.loadSpent, seedSpent);
    },

    async spent(scopeId) {
      const value = await redis.hget(keysOf(scopeId)[0]!, 'spent');
      return value === null ? 0 : fromMicro(Number(value));
    },

    seedSpent,

    async inspect(scopeId, now): Promise<ScopeSnapshot> {
      const [spent, reserved, inFlight] = (await INSPECT.run(redis, keysOf(scopeId), [clock(now)])) as number[];
      return { spent: spent! < 0 ? undefined : fromMicro(spent!), reserved: fromMicro(reserved!), inFlight: inFlight! };
    },

    async close() {
      closed = true;
    },
  };
}

function readingAt(flat: number[], index: number): ScopeReading {
  const at = index * READING_WIDTH;
  const spent = flat[at + 3]!;
  return {
    refused: flat[at]!,
    requestsDebt: flat[at + 1]!,
    tokensDebt: flat[at + 2]!,
    spentMicro: spent < 0 ? undefined : spent,
    reservedMicro: flat[at + 4]!,
    inFlight: flat[at + 5]!,
  };
}
