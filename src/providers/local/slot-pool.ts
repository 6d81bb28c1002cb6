import type { AbortSignalLike } from '../abort-like.js';
import { ClientAbortError } from '../transport.js';
import { engineOverloaded } from './engine-error.js';

/**
 * A fixed set of slots (a context's sequences, an embedding context) shared by requests: at most
 * `items.length` run at once, up to `maxQueue` more wait in arrival order, and beyond that the
 * engine answers "overloaded" so the router retries elsewhere. A waiter leaves the queue when its
 * client goes away or after `waitMs`.
 */
export interface SlotLease<T> {
  readonly item: T;
  /** Idempotent. */
  release(): void;
}

export interface SlotPool<T> {
  acquire(opts: { signal?: AbortSignalLike; waitMs: number }): Promise<SlotLease<T>>;
  /** Slots in use. */
  readonly active: number;
  /** Requests waiting for a slot. */
  readonly queued: number;
}

interface Waiter<T> {
  grant(lease: SlotLease<T>): void;
}

export function createSlotPool<T>(items: readonly T[], maxQueue: number): SlotPool<T> {
  const free = [...items];
  const waiters: Waiter<T>[] = [];

  const lease = (item: T): SlotLease<T> => {
    let released = false;
    return {
      item,
      release() {
        if (released) return;
        released = true;
        const next = waiters.shift();
        if (next) next.grant(lease(item));
        else free.push(item);
      },
    };
  };

  return {
    get active() {
      return items.length - free.length;
    },
    get queued() {
      return waiters.length;
    },
    acquire({ signal, waitMs }) {
      if (signal?.aborted) return Promise.reject(new ClientAbortError());
      const item = free.pop();
      if (item !== undefined) return Promise.resolve(lease(item));
      if (waiters.length >= maxQueue) {
        return Promise.reject(engineOverloaded(`all ${items.length} sequence(s) busy and ${waiters.length} request(s) queued`));
      }
      return new Promise<SlotLease<T>>((resolve, reject) => {
        const leave = (err: Error) => {
          const index = waiters.indexOf(waiter);
          if (index === -1) return;
          waiters.splice(index, 1);
          cleanup();
          reject(err);
        };
        const onAbort = () => leave(new ClientAbortError());
        const timer = setTimeout(() => leave(engineOverloaded(`no sequence became free within ${waitMs} ms`)), waitMs);
        timer.unref();
        const cleanup = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        const waiter: Waiter<T> = {
          grant(granted) {
            cleanup();
            resolve(granted);
          },
        };
        waiters.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
