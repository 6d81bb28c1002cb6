import type { FastifyInstance } from 'fastify';
import { internalError } from '../protocol/errors.js';

/**
 * No answer completes before the usage events recorded for it are journaled. The usage journal
 * writes a turn's lines together at the end of the turn (metering/journal.ts, group commit), so
 * every reply waits in `onSend` for the pending write, if there is one, and a streamed answer
 * waits before its last frame (relay.ts). A request that recorded nothing may wait for another's
 * write in the same turn: a few microseconds, never a second write.
 */

declare module 'fastify' {
  interface FastifyInstance {
    /** Settles once every usage event recorded so far is journaled; undefined if it already is. */
    usageDurable: () => Promise<void> | undefined;
  }
}

export function registerUsageBarrier(app: FastifyInstance, durable: () => Promise<void> | undefined): void {
  app.decorate('usageDurable', durable);
  // Callback style: the usual case (nothing pending) must not cost a promise per reply.
  app.addHook('onSend', (_request, _reply, payload, done) => {
    const pending = durable();
    if (!pending) return done(null, payload);
    // A journal that cannot be written fails the answer: the client is not told it got one.
    pending.then(() => done(null, payload), (err: unknown) => done(internalError(err)));
  });
}
