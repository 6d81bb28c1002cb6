import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { relayStream, type StreamEncoder } from '../../../src/server/relay.js';
import { registerUsageBarrier } from '../../../src/server/usage-barrier.js';

/** A promise settled by hand, standing in for the usage journal's pending write. */
function pendingWrite() {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('usage barrier: no answer completes before its usage is journaled', () => {
  it('holds a reply until the pending journal write settles, and answers at once when nothing is pending', async () => {
    let pending: ReturnType<typeof pendingWrite> | undefined;
    const app = Fastify();
    registerUsageBarrier(app, () => pending?.promise);
    app.get('/x', async () => ({ ok: true }));
    await app.ready();

    expect((await app.inject('/x')).json()).toEqual({ ok: true });

    pending = pendingWrite();
    let answered = false;
    const reply = app.inject('/x').then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(answered).toBe(false);
    pending.resolve();
    expect((await reply).statusCode).toBe(200);
    await app.close();
  });

  it('answers 500 internal_error when the journal cannot be written', async () => {
    const write = pendingWrite();
    const app = Fastify();
    registerUsageBarrier(app, () => write.promise);
    app.get('/x', async () => ({ ok: true }));
    await app.ready();
    write.reject(new Error('ENOSPC: no space left on device'));
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('"ok"');
    await app.close();
  });

  const encoder: StreamEncoder<{ type: string; text?: string }> = { encode: (e) => `data: ${e.text}\n\n`, end: () => 'data: [DONE]\n\n' };
  const events = async function* () {
    yield { type: 'delta', text: 'a' };
    yield { type: 'delta', text: 'b' };
  };

  /** Relay the two-event stream to a real client; `seen` fills as frames arrive, `outcome` settles when the client is done. */
  async function relayTo(beforeEnd: () => Promise<void> | undefined) {
    let relayed: Promise<{ status: number }> | undefined;
    const server = createServer((_req, res: ServerResponse) => {
      relayed = relayStream(res, { events }, encoder, {}, undefined, beforeEnd);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const seen: string[] = [];
    const client = new Promise<boolean>((resolve) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/' }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => seen.push(d));
        res.on('end', () => resolve(true));
        res.on('error', () => resolve(false));
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    const outcome = (async () => {
      const complete = await client;
      const { status } = await relayed!;
      server.close();
      return { complete, status, body: seen.join('') };
    })();
    return { seen, outcome };
  }

  it('a stream sends its last frame only after the write settles', async () => {
    const write = pendingWrite();
    const { seen, outcome } = await relayTo(() => write.promise);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.join('')).toBe('data: a\n\ndata: b\n\n'); // everything but the end
    write.resolve();
    const out = await outcome;
    expect(out.complete).toBe(true);
    expect(out.body).toBe('data: a\n\ndata: b\n\ndata: [DONE]\n\n');
  });

  it('a stream whose usage cannot be journaled is cut off without its last frame', async () => {
    const { outcome } = await relayTo(() => Promise.reject(new Error('EIO')));
    const out = await outcome;
    expect(out.status).toBe(500);
    expect(out.complete).toBe(false);
    expect(out.body).not.toContain('[DONE]');
  });
});
