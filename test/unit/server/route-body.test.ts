import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { invalidRequest } from '../../../src/protocol/errors.js';
import { errorHandler } from '../../../src/server/error-handler.js';
import { sendsItself } from '../../../src/server/route-body.js';
import { registerUsageBarrier } from '../../../src/server/usage-barrier.js';

/** Model routes send their own answers (route-body.ts): same answers and errors as an async handler, without waiting on the reply. */
describe('sendsItself', () => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  async function appWith(body: Parameters<typeof sendsItself>[0], pending?: () => Promise<void> | undefined) {
    app = Fastify();
    registerUsageBarrier(app, pending ?? (() => undefined));
    app.setErrorHandler(errorHandler(() => 1024));
    app.post('/x', sendsItself(body));
    await app.ready();
    return app;
  }

  it('answers once, even while the reply waits for its journal line', async () => {
    let release!: () => void;
    const write = new Promise<void>((resolve) => (release = resolve));
    let pending: Promise<void> | undefined;
    await appWith(async (_request, reply) => {
      await new Promise((r) => setImmediate(r));
      pending = write;
      reply.send({ ok: 1 });
      setTimeout(() => {
        pending = undefined;
        release();
      }, 20);
    }, () => pending);
    const res = await app.inject({ method: 'POST', url: '/x', payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: 1 });
  });

  it('sends what the body throws through the error handler, in the OpenAI shape', async () => {
    await appWith(async () => {
      await new Promise((r) => setImmediate(r));
      throw invalidRequest('Bad thing.', 'messages', 'invalid_value');
    });
    const res = await app.inject({ method: 'POST', url: '/x', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { message: 'Bad thing.', param: 'messages', code: 'invalid_value' } });
  });

  it('turns a thrown non-error into a 500, never into a 200 carrying it', async () => {
    await appWith(async () => {
      throw 'a string';
    });
    const res = await app.inject({ method: 'POST', url: '/x', payload: {} });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('a string');
  });

  it('only logs a failure after a hijacked answer has started', async () => {
    await appWith(async (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.end('streamed');
      throw new Error('after the answer');
    });
    const res = await app.inject({ method: 'POST', url: '/x', payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('streamed');
  });
});
