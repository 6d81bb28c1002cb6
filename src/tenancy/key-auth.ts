import { forbidden, unauthenticated, type BaimoError } from '../protocol/errors.js';
import type { ChangeScope } from './change-feed.js';
import { KEY_PATTERN, type KeyHasher } from './keys.js';
import type { KeyLimits, KeyPrincipal } from './principal.js';
import type { BudgetPeriod, TenancyDb } from './tables.js';

/**
 * `authenticateKey` on the request path (DESIGN.md §4): a cache hit is two Map lookups (plus one
 * HMAC the first time a key is presented), no database read. Misses for the same key share one
 * lookup. Unknown keys are remembered for at most `negativeTtlMs` so a flood of one bad key costs
 * one read per second, while a key created a moment ago is never refused for long. Entries are dropped when the change
 * feed says so, and in any case after `maxAgeMs` (covers edits made outside Baimo).
 *
 * An invalidation that lands while a lookup is in flight bumps `epoch`; the lookup's result is
 * then returned but not cached, since it may predate the change.
 */

export interface KeyAuthOptions {
  db: TenancyDb;
  now: () => number;
  hashKey: KeyHasher;
  negativeTtlMs: number;
  maxAgeMs: number;
  maxEntries: number;
  touchIntervalMs: number;
  log: (message: string, err?: unknown) => void;
}

export interface KeyCacheStats {
  hits: number;
  /** Database lookups performed (misses that were not shared or negatively cached). */
  lookups: number;
  size: number;
}

export interface KeyAuthenticator {
  authenticate(plaintext: string): Promise<KeyPrincipal>;
  invalidate(scope: ChangeScope): void;
  /** A key with this hash was just issued here: forget any negative entry for it. */
  forgetNegative(hash: string): void;
  /** Writes pending `last_used_at` values (the timer does this; close() does it a last time). */
  flushLastUsed(): Promise<void>;
  stats(): KeyCacheStats;
  start(): void;
  close(): Promise<void>;
}

interface Positive {
  principal: KeyPrincipal;
  expiresAt: number | null;
  orgDisabled: boolean;
  cachedAt: number;
}

interface Negative {
  until: number;
  message: string;
}

const INCORRECT = 'Incorrect API key provided.';

export function createKeyAuthenticator(opts: KeyAuthOptions): KeyAuthenticator {
  const positive = new Map<string, Positive>();
  const negative = new Map<string, Negative>();
  const inflight = new Map<string, Promise<Positive | Negative>>();
  const touches = new Map<string, number>();
  /**
   * Presented key → its hash, for keys that authenticated: building an HMAC per request cost more
   * than the rest of a cache hit. Only valid keys get in, so a flood of made-up keys cannot evict
   * them or grow it; the hash of a key never changes, so invalidation need not touch it.
   */
  const knownHashes = new Map<string, string>();
  let epoch = 0;
  let hits = 0;
  let lookups = 0;
  let timer: NodeJS.Timeout | undefined;

  const remember = <V>(map: Map<string, V>, hash: string, value: V) => {
    // Oldest-first eviction: Maps iterate in insertion order.
    if (map.size >= opts.maxEntries) map.delete(map.keys().next().value!);
    map.set(hash, value);
  };

  const admit = (entry: Positive): KeyPrincipal => {
    const now = opts.now();
    if (entry.expiresAt !== null && entry.expiresAt <= now) throw unauthenticated('This API key has expired.');
    if (entry.orgDisabled) throw orgDisabled(entry.principal.orgName);
    touches.set(entry.principal.keyId, now);
    return entry.principal;
  };

  const lookup = async (hash: string): Promise<Positive | Negative> => {
    const started = epoch;
    lookups++;
    const row = await opts.db
      .selectFrom('api_keys')
      .innerJoin('orgs', 'orgs.id', 'api_keys.org_id')
      .select([
        'api_keys.id',
        'api_keys.name',
        'api_keys.models',
        'api_keys.rpm',
        'api_keys.tpm',
        'api_keys.max_concurrency',
        'api_keys.budget',
        'api_keys.budget_period',
        'api_keys.expires_at',
        'api_keys.revoked_at',
        'orgs.id as org_id',
        'orgs.name as org_name',
        'orgs.rpm as org_rpm',
        'orgs.tpm as org_tpm',
        'orgs.max_concurrency as org_max_concurrency',
        'orgs.budget as org_budget',
        'orgs.budget_period as org_budget_period',
        'orgs.budget_alert_thresholds',
        'orgs.log_bodies',
        'orgs.disabled',
      ])
      .where('api_keys.hash', '=', hash)
      .executeTakeFirst();
    const cacheable = started === epoch;
    if (!row || row.revoked_at !== null) {
      const entry: Negative = { until: opts.now() + opts.negativeTtlMs, message: row ? 'This API key has been revoked.' : INCORRECT };
      if (cacheable) remember(negative, hash, entry);
      return entry;
    }
    const principal: KeyPrincipal = deepFreeze({
      kind: 'key',
      keyId: row.id,
      keyName: row.name,
      orgId: row.org_id,
      orgName: row.org_name,
      models: row.models === null ? null : (JSON.parse(row.models) as string[]),
      limits: limitsOf(row.rpm, row.tpm, row.max_concurrency, row.budget, row.budget_period),
      orgLimits: {
        ...limitsOf(row.org_rpm, row.org_tpm, row.org_max_concurrency, row.org_budget, row.org_budget_period),
        budgetAlertThresholds: JSON.parse(row.budget_alert_thresholds) as number[],
      },
      logBodies: row.log_bodies === 1,
    });
    const entry: Positive = { principal, expiresAt: row.expires_at, orgDisabled: row.disabled === 1, cachedAt: opts.now() };
    if (cacheable) remember(positive, hash, entry);
    return entry;
  };

  const flushLastUsed = async (): Promise<void> => {
    if (touches.size === 0) return;
    const batch = [...touches];
    touches.clear();
    try {
      await opts.db.transaction().execute(async (trx) => {
        for (const [id, at] of batch) {
          await trx
            .updateTable('api_keys')
            .set({ last_used_at: at })
            .where('id', '=', id)
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
            .execute();
        }
      });
    } catch (err) {
      // Best effort by design: last_used_at is informational, never worth failing a request.
      opts.log('tenancy: could not record key last-used times', err);
    }
  };

  return {
    async authenticate(plaintext) {
      if (typeof plaintext !== 'string' || !KEY_PATTERN.test(plaintext)) throw unauthenticated(INCORRECT);
      const known = knownHashes.get(plaintext);
      const hash = known ?? opts.hashKey(plaintext);
      const now = opts.now();
      const cached = positive.get(hash);
      if (cached && now - cached.cachedAt < opts.maxAgeMs) {
        hits++;
        const principal = admit(cached);
        if (known === undefined) remember(knownHashes, plaintext, hash);
        return principal;
      }
      const refused = negative.get(hash);
      if (refused && refused.until > now) throw unauthenticated(refused.message);
      let pending = inflight.get(hash);
      if (!pending) {
        pending = lookup(hash).finally(() => inflight.delete(hash));
        inflight.set(hash, pending);
      }
      const entry = await pending;
      if ('until' in entry) throw unauthenticated(entry.message);
      const principal = admit(entry);
      if (known === undefined) remember(knownHashes, plaintext, hash);
      return principal;
    },

    invalidate(scope) {
      epoch++;
      if (scope.all) {
        positive.clear();
        negative.clear();
        knownHashes.clear();
        return;
      }
      const keys = new Set(scope.keys ?? []);
      const orgs = new Set(scope.orgs ?? []);
      for (const [hash, entry] of positive) {
        if (keys.has(entry.principal.keyId) || orgs.has(entry.principal.orgId)) positive.delete(hash);
      }
      // A rotated key's new hash may sit in the negative cache only if someone guessed it: drop
      // negatives anyway, they are cheap to rebuild.
      negative.clear();
    },

    forgetNegative(hash) {
      negative.delete(hash);
    },

    flushLastUsed,

    stats: () => ({ hits, lookups, size: positive.size }),

    start() {
      timer = setInterval(() => void flushLastUsed(), opts.touchIntervalMs);
      timer.unref();
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flushLastUsed();
    },
  };
}

function limitsOf(
  rpm: number | null,
  tpm: number | null,
  maxConcurrency: number | null,
  budget: number | null,
  period: BudgetPeriod,
): KeyLimits {
  const limits: KeyLimits = {};
  if (rpm !== null) limits.rpm = rpm;
  if (tpm !== null) limits.tpm = tpm;
  if (maxConcurrency !== null) limits.maxConcurrency = maxConcurrency;
  if (budget !== null) limits.budget = budget;
  if (period === 'monthly') limits.budgetPeriod = period;
  return limits;
}

const orgDisabled = (orgName: string): BaimoError => forbidden(`The organization '${orgName}' is disabled.`);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
