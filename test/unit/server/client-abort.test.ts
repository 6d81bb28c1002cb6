import { expect, it, vi } from 'vitest';
import { ClientAbort } from '../../../src/server/client-abort.js';

it('calls each listener once on abort, in order, and none removed or added after it', () => {
  const abort = new ClientAbort();
  const calls: string[] = [];
  const a = () => calls.push('a');
  const b = () => calls.push('b');
  const removed = () => calls.push('removed');
  abort.addEventListener('abort', a);
  abort.addEventListener('abort', a); // added twice: still once, as on an EventTarget
  abort.addEventListener('abort', removed);
  abort.addEventListener('abort', b);
  abort.removeEventListener('abort', removed);
  expect(abort.aborted).toBe(false);
  abort.abort();
  abort.abort();
  abort.addEventListener('abort', () => calls.push('late'));
  expect(abort.aborted).toBe(true);
  expect(calls).toEqual(['a', 'b']);
});

it('its real AbortSignal follows it, whether made before or after the abort', () => {
  const early = new ClientAbort();
  const signal = early.signal;
  const onAbort = vi.fn();
  signal.addEventListener('abort', onAbort);
  expect(signal.aborted).toBe(false);
  early.abort();
  expect(signal.aborted).toBe(true);
  expect(onAbort).toHaveBeenCalledOnce();
  expect(early.signal).toBe(signal);

  const late = new ClientAbort();
  late.abort();
  expect(late.signal.aborted).toBe(true);
});

it('a throwing listener stops neither the others nor the caller', async () => {
  const abort = new ClientAbort();
  const after = vi.fn();
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', onUncaught);
  try {
    abort.addEventListener('abort', () => {
      throw new Error('boom');
    });
    abort.addEventListener('abort', after);
    expect(() => abort.abort()).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    await new Promise((resolve) => setImmediate(resolve));
    expect(uncaught).toEqual([new Error('boom')]);
  } finally {
    process.off('uncaughtException', onUncaught);
    for (const l of listeners) process.on('uncaughtException', l);
  }
});
