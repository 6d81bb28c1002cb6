import type { Transaction } from 'kysely';
import type { Redis } from '../store/index.js';
import type { TenancyDb, TenancyTables } from './tables.js';

/**
 * How a revocation on one replica reaches every other replica's key cache within a second.
 *
 * Every change that affects key authentication bumps a single version counter in the same
 * transaction. After commit the writer drops its own cache entries and publishes
 * `{v, keys, orgs}` on Redis; peers drop just those entries. Independently, each replica polls
 * the counter every `pollIntervalMs`: a version it has not seen a message for (Redis absent,
 * a message lost in a reconnect) clears its whole cache. So Redis buys targeted, near-instant
 * invalidation, and the poll alone still bounds staleness.
 *
 * A counter rather than `max(updated_at)`: a timestamp written by a replica whose clock lags
 * can be lower than the current maximum (the change would be invisible), two writes in the same
 * millisecond look like one, and deleted rows lower the maximum. The counter row is locked by
 * each writing transaction, so versions commit in order and a poll that reads `v` has seen every
 * change up to `v`.
 */

export const TENANCY_CHANNEL = 'baimo:tenancy:changed';

export interface ChangeScope {
  keys?: string[];
  orgs?: string[];
  /** Drop everything (a version was missed). */
  all?: boolean;
}

export interface ChangeFeedDeps {
  db: TenancyDb;
  redis?: Redis;
  /** Identifies this instance's own messages. */
  origin: string;
  pollIntervalMs: number;
  invalidate: (scope: ChangeScope) => void;
  log: (message: string, err?: unknown) => void;
}

export interface ChangeFeed {
  start(): Promise<void>;
  /** Inside a mutation's transaction. */
  bump(trx: Transaction<TenancyTables>): Promise<number>;
  /** After the mutation committed: drop local entries, mark the version seen, tell peers. */
  announce(version: number, scope: ChangeScope): void;
  /** One poll of the shared counter (the timer calls this; tests may too). */
  poll(): Promise<void>;
  close(): Promise<void>;
}

interface Notice {
  v: number;
  keys?: string[];
  orgs?: string[];
  origin: string;
}

export function createChangeFeed(deps: ChangeFeedDeps): ChangeFeed {
  /** Every version ≤ seen has been applied to the cache. */
  let seen = 0;
  /** Versions above `seen` already applied (messages can arrive out of order). */
  const applied = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let subscriber: Redis | undefined;
  let polling = false;
  let pollFailing = false;

  const advance = () => {
    while (applied.has(seen + 1)) applied.delete(++seen);
  };

  const apply = (version: number, scope: ChangeScope) => {
    deps.invalidate(scope);
    if (version > seen) applied.add(version);
    advance();
  };

  const onMessage = (channel: string, message: string) => {
    if (channel !== TENANCY_CHANNEL) return;
    let notice: Notice;
    try {
      notice = JSON.parse(message) as Notice;
    } catch {
      return;
    }
    if (notice.origin === deps.origin || typeof notice.v !== 'number') return;
    apply(notice.v, { keys: notice.keys, orgs: notice.orgs });
  };

  const readVersion = async () =>
    Number((await deps.db.selectFrom('tenancy_version').select('version').where('id', '=', 'global').executeTakeFirstOrThrow()).version);

  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const current = await readVersion();
      pollFailing = false;
      advance();
      if (current > seen) {
        deps.invalidate({ all: true });
        seen = current;
        for (const v of applied) if (v <= current) applied.delete(v);
        advance();
      }
    } catch (err) {
      // Keep serving from the cache while the database is unreachable; say so once per outage.
      if (!pollFailing) deps.log('tenancy: polling for key changes failed', err);
      pollFailing = true;
    } finally {
      polling = false;
    }
  };

  return {
    async start() {
      seen = await readVersion();
      if (deps.redis) {
        subscriber = deps.redis.duplicate();
        subscriber.on('error', (err) => deps.log('tenancy: Redis subscriber error; polling covers missed changes', err));
        subscriber.on('message', onMessage);
        try {
          await subscriber.subscribe(TENANCY_CHANNEL);
        } catch (err) {
          deps.log('tenancy: could not subscribe to key changes on Redis; relying on polling', err);
        }
      }
      timer = setInterval(() => void poll(), deps.pollIntervalMs);
      timer.unref();
    },

    async bump(trx) {
      const row = await trx
        .updateTable('tenancy_version')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', 'global')
        .returning('version')
        .executeTakeFirstOrThrow();
      return Number(row.version);
    },

    announce(version, scope) {
      apply(version, scope);
      if (!deps.redis) return;
      const notice: Notice = { v: version, keys: scope.keys, orgs: scope.orgs, origin: deps.origin };
      deps.redis.publish(TENANCY_CHANNEL, JSON.stringify(notice)).catch((err: unknown) => {
        deps.log('tenancy: could not publish a key change on Redis; peers will see it by polling', err);
      });
    },

    poll,

    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (subscriber) {
        const sub = subscriber;
        subscriber = undefined;
        await sub.quit().catch(() => sub.disconnect());
      }
    },
  };
}
