import type { FastifyReply, FastifyRequest } from 'fastify';
import { internalError } from '../protocol/errors.js';

/**
 * A model route's body, run without handing Fastify a promise of the reply. An async handler that
 * resolves to `reply` makes Fastify wait for the response to finish (`Reply.then` attaches
 * end-of-stream listeners to it), and a JSON answer is still waiting for its usage journal line
 * when the handler resolves: that wait cost about 900 bytes and four listeners on every call
 * (the bench's allocation profile). The body sends its answer itself (`sendJson`, or a relayed
 * stream); anything it throws reaches the app's error handler, as a thrown error always did.
 */
export function sendsItself(body: (request: FastifyRequest, reply: FastifyReply) => Promise<void>): (request: FastifyRequest, reply: FastifyReply) => void {
  return (request, reply) => {
    body(request, reply).catch((err: unknown) => {
      // After the answer has started (a relayed stream) there is no one left to tell but the log.
      if (reply.sent || reply.raw.headersSent) {
        request.log.error({ err }, 'model route failed after its answer started');
        return;
      }
      reply.send(err instanceof Error ? err : internalError(err));
    });
  };
}
