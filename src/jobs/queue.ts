import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MigrationSet, Store } from '../store/index.js';

/**
 * A durable job queue on the platform's own database (DESIGN.md §5: "background jobs on a real
 * queue over them"): jobs are rows, claimed with a lease that a heartbeat extends. A worker that
 * dies (`kill -9`) stops heartbeating; its lease expires and any replica claims the job again, so
 * handlers must be resumable — they checkpoint their own progress in their own tables.
 *
 * Claiming is a conditional UPDATE (only if still unclaimed or expired), which is race-free on
 * SQLite and PostgreSQL alike without row locks.
 */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobsTable {
  id: string;
  kind: string;
  org_id: string | null;
  payload: string;
  status: JobStatus;
  attempts: number;
  lease_owner: string | null;
  lease_until: number;
  run_after: number;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export const jobsMigrations: MigrationSet = {
  '20261125_35_jobs': {
    up: async (db) => {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint', (c) => c.notNull())
        .addColumn('run_after', 'bigint', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_status_run_after').on('jobs').columns(['status', 'run_after']).execute();
    },
  },
};

export interface Job {
  id: string;
  kind: string;
  orgId: string | null;
  payload: unknown;
  attempts: number;
}

export interface JobContext {
  /** Aborted when this worker lost the job's lease (another replica may own it now) or is stopping. */
  signal: AbortSignal;
}

/** Throw this for a failure worth retrying later (an upstream outage); anything else fails the job. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly afterMs?: number,
  ) {
    super(message);
  }
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

export interface JobQueueOptions {
  store: Store;
  now: () => number;
  newId: (prefix: string) => string;
  log: (message: string, err?: unknown) => void;
  /** Jobs run at once by this process. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  /**
   * This process is the database's only user (embedded mode): jobs left running by an earlier
   * process are reclaimed at once instead of after their lease expires.
   */
  exclusive?: boolean;
}

export interface JobQueue {
  /** Adds a job (inside `trx` when given, so it commits with the rows it refers to). */
  enqueue(job: { kind: string; orgId?: string | null; payload: unknown }, trx?: Kysely<any>): Promise<string>;
  /** Starts the workers for these kinds. */
  start(handlers: Record<string, JobHandler>): Promise<void>;
  /** Look for work now (after a local enqueue). */
  wake(): void;
  /** Stops claiming; aborts and waits for running jobs (their leases are released for a quick retake). */
  stop(): Promise<void>;
}

export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const db = (opts.store.db as Kysely<{ jobs: JobsTable }>);
  const owner = `w_${randomBytes(6).toString('hex')}`;
  const concurrency = opts.concurrency ?? 2;
  const leaseMs = opts.leaseMs ?? 15_000;
  const pollMs = opts.pollMs ?? 1_000;
  const maxAttempts = opts.maxAttempts ?? 5;
  let handlers: Record<string, JobHandler> = {};
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

  async function claim(): Promise<Job | undefined> {
    if (Object.keys(handlers).length === 0) return undefined; // not started yet
    const now = opts.now();
    const candidates = await db
      .selectFrom('jobs')
      .select(['id'])
      .where('kind', 'in', Object.keys(handlers))
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('created_at')
      .limit(concurrency * 2)
      .execute();
    for (const { id } of candidates) {
      if (running.has(id)) continue;
      const result = await db
        .updateTable('jobs')
        .set((eb) => ({ status: 'running', lease_owner: owner, lease_until: now + leaseMs, attempts: eb('attempts', '+', 1), updated_at: now }))
        .where('id', '=', id)
        .where((eb) =>
          eb.or([eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', now)]), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]),
        )
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return { id: row.id, kind: row.kind, orgId: row.org_id, payload: JSON.parse(row.payload), attempts: row.attempts };
    }
    return undefined;
  }

  /** Updates the job only while this worker still holds its lease. */
  async function ownUpdate(id: string, set: Partial<JobsTable>): Promise<boolean> {
    const result = await db.updateTable('jobs').set({ ...set, updated_at: opts.now() }).where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  function run(job: Job): void {
    const controller = new AbortController();
    const heartbeat = setInterval(() => {
      ownUpdate(job.id, { lease_until: opts.now() + leaseMs }).then(
        (held) => held || controller.abort(new Error('lease lost')),
        (err) => opts.log(`job ${job.id}: heartbeat failed`, err),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    const done = (async () => {
      try {
        await handlers[job.kind]!(job, { signal: controller.signal });
        await ownUpdate(job.id, { status: 'succeeded', lease_owner: null, error: null });
      } catch (err) {
        if (controller.signal.aborted) {
          // Stopping or lease lost: whoever holds the job next resumes it; release it if still ours.
          await ownUpdate(job.id, { status: 'queued', lease_owner: null, run_after: opts.now() }).catch(() => undefined);
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        const retry = err instanceof RetryLater && job.attempts < maxAttempts;
        if (retry) {
          const backoff = err.afterMs ?? Math.min(60_000, 1000 * 2 ** job.attempts) * (0.5 + Math.random() / 2);
          await ownUpdate(job.id, { status: 'queued', lease_owner: null, run_after: opts.now() + backoff, error: message });
        } else {
          opts.log(`job ${job.id} (${job.kind}) failed`, err);
          await ownUpdate(job.id, { status: 'failed', lease_owner: null, error: message });
        }
      } finally {
        clearInterval(heartbeat);
        running.delete(job.id);
        wake();
      }
    })().catch((err: unknown) => opts.log(`job ${job.id}: bookkeeping failed`, err));
    running.set(job.id, { controller, done });
  }

  async function poll(): Promise<void> {
    while (!stopped && running.size < concurrency) {
      const job = await claim();
      if (!job) return;
      run(job);
    }
  }

  function wake(): void {
    if (stopped || polling) return;
    polling = poll()
      .catch((err: unknown) => opts.log('job queue: polling failed', err))
      .finally(() => {
        polling = undefined;
      });
  }

  return {
    async enqueue(job, trx) {
      const id = opts.newId('job');
      const now = opts.now();
      await ((trx ?? db) as typeof db)
        .insertInto('jobs')
        .values({
          id,
          kind: job.kind,
          org_id: job.orgId ?? null,
          payload: JSON.stringify(job.payload),
          status: 'queued',
          attempts: 0,
          lease_owner: null,
          lease_until: 0,
          run_after: now,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return id;
    },
    async start(h) {
      handlers = h;
      if (opts.exclusive) {
        // Only this queue's kinds: another queue on the same table (knowledge, alerts) may be running.
        await db
          .updateTable('jobs')
          .set({ status: 'queued', lease_owner: null, run_after: opts.now() })
          .where('status', '=', 'running')
          .where('kind', 'in', Object.keys(h))
          .execute();
      }
      timer = setInterval(wake, pollMs);
      timer.unref();
      wake();
    },
    wake,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await polling;
      for (const { controller } of running.values()) controller.abort(new Error('stopping'));
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
