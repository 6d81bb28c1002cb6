import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientAbortError } from '../../../../src/providers/transport.js';
import { createSlotPool } from '../../../../src/providers/local/slot-pool.js';

/** Sequences as slots: bounded concurrency, a bounded FIFO queue, abort and wait limits. */

afterEach(() => vi.useRealTimers());

describe('createSlotPool', () => {
  it('hands out free slots, then queues in arrival order', async () => {
    const pool = createSlotPool(['s1', 's2'], 4);
    const a = await pool.acquire({ waitMs: 1000 });
    const b = await pool.acquire({ waitMs: 1000 });
    expect(pool.active).toBe(2);
    const order: string[] = [];
    const c = pool.acquire({ waitMs: 1000 }).then((l) => (order.push(`c:${l.item}`), l));
    const d = pool.acquire({ waitMs: 1000 }).then((l) => (order.push(`d:${l.item}`), l));
    expect(pool.queued).toBe(2);
    b.release();
    b.release(); // idempotent: one slot back, not two
    (await c).release();
    a.release();
    (await d).release();
    expect(order).toEqual([`c:${b.item}`, `d:${b.item}`]);
    expect([pool.active, pool.queued]).toEqual([0, 0]);
  });

  it('beyond the queue bound answers 503 overloaded at once', async () => {
    const pool = createSlotPool(['s'], 1);
    await pool.acquire({ waitMs: 1000 });
    void pool.acquire({ waitMs: 1000 });
    await expect(pool.acquire({ waitMs: 1000 })).rejects.toMatchObject({ status: 503, code: 'server_is_overloaded', retryAfter: 1 });
  });

  it('a waiter leaves after waitMs with 503', async () => {
    vi.useFakeTimers();
    const pool = createSlotPool(['s'], 2);
    await pool.acquire({ waitMs: 1000 });
    const waiting = pool.acquire({ waitMs: 250 });
    const check = expect(waiting).rejects.toMatchObject({ status: 503, message: expect.stringContaining('250 ms') });
    await vi.advanceTimersByTimeAsync(250);
    await check;
    expect(pool.queued).toBe(0);
  });

  it('a waiter whose client leaves is dropped from the queue', async () => {
    const pool = createSlotPool(['s'], 2);
    const held = await pool.acquire({ waitMs: 1000 });
    const controller = new AbortController();
    const waiting = pool.acquire({ signal: controller.signal, waitMs: 1000 });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(ClientAbortError);
    expect(pool.queued).toBe(0);
    held.release();
    expect(pool.active).toBe(0);
  });
});
