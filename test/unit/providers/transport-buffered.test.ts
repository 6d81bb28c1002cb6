import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimeoutsConfig } from '../../../src/config/types.js';
import type { HttpRequestSpec } from '../../../src/providers/adapter.js';
import { ClientAbortError, createTransport, fetchBuffered, type Transport } from '../../../src/providers/transport.js';
import { TIMEOUTS } from '../../support/fixtures.js';

/**
 * `fetchText`: the whole non-stream answer read off undici's dispatcher. It must keep every
 * promise `send` + `readBody`/`readFailure` made: timeouts, client abort, size limit, error
 * bodies and headers. Each case also runs through `fetchBuffered`'s fallback for transports
 * without `fetchText`, so both paths answer the same.
 */
describe('transport: buffered (non-stream) answers', () => {
  const closed: string[] = [];
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/ok': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('"你好"}'), 5);
    },
    '/big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`"${'x'.repeat(4096)}"`);
    },
    '/error': (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(`{"error":{"message":"${'slow down '.repeat(2000)}"}}`);
    },
    '/silent': () => {}, // never answers
    '/dribble': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    },
  };
  const server = createServer((req, res) => {
    req.resume();
    res.on('close', () => {
      if (!res.writableFinished) closed.push(req.url!);
    });
    routes[req.url!]!(req, res);
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const spec = (path: string): HttpRequestSpec => ({ method: 'POST', url: `${base}${path}`, headers: { 'content-type': 'application/json' }, body: '{}' });
  const direct = createTransport();
  const full = createTransport();
  // A transport with only `send`: fetchBuffered reads it the old way.
  const sendOnly: Transport = { send: (s, t, sig) => full.send(s, t, sig), close: async () => {} };
  afterAll(async () => {
    await direct.close();
    await full.close();
  });

  for (const [name, transport] of [['fetchText', direct], ['send fallback', sendOnly]] as const) {
    describe(name, () => {
      const fetch = (path: string, timeouts: TimeoutsConfig = TIMEOUTS, signal?: AbortSignal, limit = 1 << 20) =>
        fetchBuffered(transport, spec(path), timeouts, signal, limit);

      it('returns the whole body of a 2xx answer, decoded as UTF-8 across chunks', async () => {
        const res = await fetch('/ok');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json');
        expect(JSON.parse(res.text)).toEqual({ a: '你好' });
      });

      it('refuses a 2xx body over the limit with a 502 upstream_response_too_large', async () => {
        await expect(fetch('/big', TIMEOUTS, undefined, 1024)).rejects.toMatchObject({ status: 502, code: 'upstream_response_too_large' });
      });

      it('keeps the status, headers and the first 8 KB of an error answer', async () => {
        const res = await fetch('/error');
        expect(res.status).toBe(429);
        expect(res.headers['retry-after']).toBe('7');
        expect(res.text.length).toBe(8192);
        expect(res.text.startsWith('{"error":{"message":"slow down')).toBe(true);
      });

      it('times out before the first byte (retryable), and cancels the upstream request', async () => {
        closed.length = 0;
        await expect(fetch('/silent', { ...TIMEOUTS, first_byte_ms: 100 })).rejects.toMatchObject({ code: 'upstream_timeout', retryable: true, message: expect.stringMatching(/first byte/) });
        await expect.poll(() => closed).toContain('/silent');
      });

      it('ends an answer that outlasts the total time limit (not retryable)', async () => {
        await expect(fetch('/dribble', { ...TIMEOUTS, total_ms: 150, idle_ms: 1000 })).rejects.toMatchObject({ code: 'upstream_timeout', retryable: false, message: expect.stringMatching(/total/) });
      });

      it('a client that goes away aborts the upstream request and gets a ClientAbortError', async () => {
        closed.length = 0;
        const controller = new AbortController();
        const pending = fetch('/silent', { ...TIMEOUTS, first_byte_ms: 10_000 }, controller.signal);
        setTimeout(() => controller.abort(), 50);
        await expect(pending).rejects.toBeInstanceOf(ClientAbortError);
        await expect.poll(() => closed).toContain('/silent');
      });
    });
  }
});
