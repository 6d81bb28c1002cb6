import { afterEach, beforeEach, expect, it } from 'vitest';
import { createJobQueue, jobsMigrations, RetryLater, type Job, type JobQueue } from '../../../src/jobs/queue.js';
import { migrate, type Store } from '../../../src/store/index.js';
import { describeEachStore } from '../../support/backends.js';
import { randomId } from '../../support/tenancy.js';
import { waitFor } from '../../support/knowledge.js';

/** The durable job queue on both stores: claims, leases taken over after a crash, retries, exclusivity. */
describeEachStore('job queue', (backend) => {
  let store: Store;
  const queues: JobQueue[] = [];
  const open = (opts: Partial<Parameters<typeof createJobQueue>[0]> = {}) => {
    const q = createJobQueue({ store, now: () => Date.now(), newId: randomId, log: () => {}, pollMs: 50, leaseMs: 300, ...opts });
    queues.push(q);
    return q;
  };
  const statusOf = async (id: string) =>
    (await (store.db as any).selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()) as { status: string; attempts: number; error: string | null };

  beforeEach(async () => {
    store = await backend.open();
    await migrate(store.db, store.dialect, [jobsMigrations]);
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    await store.close();
  });

  it('runs each job once and marks it succeeded', async () => {
    const q = open({ concurrency: 1 });
    const seen: unknown[] = [];
    const ids = [await q.enqueue({ kind: 'k', payload: { n: 1 } }), await q.enqueue({ kind: 'k', payload: { n: 2 } })];
    await q.start({ k: async (job) => void seen.push(job.payload) });
    await waitFor(async () => ((await statusOf(ids[1]!)).status === 'succeeded' ? true : undefined), 5000);
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    expect((await statusOf(ids[0]!)).attempts).toBe(1);
  });

  it('two workers never run the same job', async () => {
    const runs = new Map<string, number>();
    const handler = async (job: Job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    };
    const a = open({ concurrency: 3 });
    const b = open({ concurrency: 3 });
    const ids = await Promise.all(Array.from({ length: 30 }, (_, n) => a.enqueue({ kind: 'k', payload: { n } })));
    await Promise.all([a.start({ k: handler }), b.start({ k: handler })]);
    await waitFor(async () => (await Promise.all(ids.map(statusOf))).every((j) => j.status === 'succeeded') || undefined, 10_000);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(30);
  });

  it('a job whose worker stopped heartbeating is taken over once its lease expires, not before', async () => {
    const q = open({ concurrency: 1 });
    const id = await q.enqueue({ kind: 'k', payload: {} });
    // As a worker killed with -9 leaves it: running, owned, lease still valid for a moment.
    const leaseUntil = Date.now() + 400;
    await store.db.updateTable('jobs' as never).set({ status: 'running', lease_owner: 'w_dead', attempts: 1, lease_until: leaseUntil } as never).where('id' as never, '=', id as never).execute();
    const ranAt: number[] = [];
    const attempts: number[] = [];
    await q.start({ k: async (job) => void (ranAt.push(Date.now()), attempts.push(job.attempts)) });
    await waitFor(async () => ((await statusOf(id)).status === 'succeeded' ? true : undefined), 5000);
    expect(ranAt[0]).toBeGreaterThanOrEqual(leaseUntil);
    expect(attempts).toEqual([2]);
  });

  it('RetryLater requeues with backoff; other errors fail the job with the message', async () => {
    const q = open();
    const retried = await q.enqueue({ kind: 'flaky', payload: {} });
    const broken = await q.enqueue({ kind: 'broken', payload: {} });
    let calls = 0;
    await q.start({
      flaky: async () => {
        if (++calls < 3) throw new RetryLater('upstream down', 20);
      },
      broken: async () => {
        throw new Error('bad input');
      },
    });
    await waitFor(async () => ((await statusOf(retried)).status === 'succeeded' ? true : undefined), 5000);
    expect(calls).toBe(3);
    expect(await statusOf(broken)).toMatchObject({ status: 'failed', error: 'bad input', attempts: 1 });
  });

  it('an exclusive queue reclaims jobs left running by an earlier process at once', async () => {
    const q = open();
    const id = await q.enqueue({ kind: 'k', payload: {} });
    await store.db.updateTable('jobs' as never).set({ status: 'running', lease_owner: 'w_gone', lease_until: Date.now() + 3_600_000 } as never).where('id' as never, '=', id as never).execute();
    const restarted = open({ exclusive: true });
    let ran = false;
    await restarted.start({ k: async () => void (ran = true) });
    await waitFor(async () => ((await statusOf(id)).status === 'succeeded' ? true : undefined), 5000);
    expect(ran).toBe(true);
  });

  it("an exclusive queue leaves other kinds' running jobs alone (another queue on the same table owns them)", async () => {
    const q = open();
    const id = await q.enqueue({ kind: 'other', payload: {} });
    await store.db.updateTable('jobs' as never).set({ status: 'running', lease_owner: 'w_alive', lease_until: Date.now() + 3_600_000 } as never).where('id' as never, '=', id as never).execute();
    await open({ exclusive: true }).start({ k: async () => undefined });
    expect(await statusOf(id)).toMatchObject({ status: 'running' });
  });

  it('stop() aborts running handlers and releases their jobs for a quick resume', async () => {
    const q = open();
    const id = await q.enqueue({ kind: 'k', payload: {} });
    let aborted = false;
    await q.start({
      k: (_job, { signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    });
    await waitFor(async () => ((await statusOf(id)).status === 'running' ? true : undefined), 5000);
    await q.stop();
    expect(aborted).toBe(true);
    expect((await statusOf(id)).status).toBe('queued');
  });
});
