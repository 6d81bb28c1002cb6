import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BaimoError } from '../../../src/protocol/errors.js';
import type { LookupFn } from '../../../src/net/resolve-target.js';
import { safeFetch, type SafeFetchOptions } from '../../../src/net/safe-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const h = routes.get(req.url ?? '');
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  routes.set('/ok', (_q, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('hello'));
  routes.set('/host', (req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(req.headers.host));
  routes.set('/to-metadata', (_q, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
  routes.set('/to-private', (_q, res) => res.writeHead(301, { location: 'http://10.0.0.5/' }).end());
  routes.set('/to-ok', (_q, res) => res.writeHead(307, { location: '/ok' }).end());
  routes.set('/loop', (_q, res) => res.writeHead(302, { location: '/loop' }).end());
  routes.set('/big', (_q, res) => {
    // No content-length: the limit must be enforced while streaming.
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < 4 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  routes.set('/big-declared', (_q, res) => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' }).end(Buffer.alloc(100000)));
  routes.set('/hang', (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  });
  routes.set('/binary', (_q, res) => res.writeHead(200, { 'content-type': 'application/x-msdownload' }).end('MZ'));
  routes.set('/hook', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => res.writeHead(body.includes('fail') ? 503 : 202, { 'content-type': 'text/plain' }).end(`${req.method} ${req.headers['content-type']} ${body}`));
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const refuseLookup: LookupFn = async () => {
  throw new Error('lookup must not be called');
};

const base = (over: Partial<SafeFetchOptions> = {}): SafeFetchOptions => ({
  lookup: refuseLookup,
  maxBytes: 1024 * 1024,
  timeoutMs: 2000,
  maxRedirects: 3,
  ...over,
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(BaimoError.is(err)).toBe(true);
    expect((err as BaimoError).status).toBe(400);
    return (err as BaimoError).code;
  }
  throw new Error('expected a refusal');
}

describe('safeFetch: refusing before any connection', () => {
  it.each([
    'http://127.0.0.1:PORT/ok',
    'http://localhost.localdomain.invalid.127.0.0.1.nip.io.example/ok',
    'http://2130706433:PORT/ok',
    'http://0x7f.1:PORT/ok',
    'http://0177.0.0.1:PORT/ok',
    'http://127.1:PORT/ok',
    'http://[::1]:PORT/ok',
    'http://[::ffff:127.0.0.1]:PORT/ok',
    'http://[64:ff9b::7f00:1]:PORT/ok',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://0.0.0.0:PORT/ok',
  ])('%s', async (template) => {
    const before = connections;
    const lookup = vi.fn<LookupFn>(async () => [{ address: '127.0.0.1', family: 4 }]);
    const code = await codeOf(safeFetch(template.replace('PORT', String(port)), base({ lookup })));
    expect(code).toBe('url_forbidden');
    expect(connections).toBe(before);
  });

  it('refuses a hostname that resolves to a private address, without echoing the address', async () => {
    const lookup: LookupFn = async () => [{ address: '10.20.30.40', family: 4 }];
    const err = await safeFetch('https://intranet.example.com/', base({ lookup })).catch((e: unknown) => e);
    expect((err as BaimoError).code).toBe('url_forbidden');
    expect((err as BaimoError).message).toContain('intranet.example.com');
    expect((err as BaimoError).message).not.toContain('10.20.30.40');
  });

  it('refuses when ANY resolved address is private', async () => {
    const lookup: LookupFn = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '::1', family: 6 },
    ];
    expect(await codeOf(safeFetch('http://mixed.example.com/', base({ lookup })))).toBe('url_forbidden');
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'gopher://x/', 'not a url', '/relative'])('rejects %s as invalid', async (u) => {
    expect(await codeOf(safeFetch(u, base()))).toBe('url_invalid');
  });

  it('refuses metadata even when private addresses are allowed', async () => {
    expect(await codeOf(safeFetch('http://169.254.169.254/', base({ allowPrivate: true })))).toBe('url_forbidden');
  });
});

describe('safeFetch against a local server', () => {
  const local = (over: Partial<SafeFetchOptions> = {}) => base({ allowedHosts: ['127.0.0.1'], ...over });

  it('fetches when the host is explicitly allowed', async () => {
    const r = await safeFetch(`http://127.0.0.1:${port}/ok`, local());
    expect(r).toMatchObject({ status: 200, contentType: 'text/plain; charset=utf-8', url: `http://127.0.0.1:${port}/ok` });
    expect(r.bytes.toString()).toBe('hello');
  });

  it('follows a safe redirect and reports the final URL', async () => {
    const r = await safeFetch(`http://127.0.0.1:${port}/to-ok`, local());
    expect(r.url).toBe(`http://127.0.0.1:${port}/ok`);
  });

  it('refuses a redirect to the metadata address at the redirect, even though the first hop was allowed', async () => {
    const err = await safeFetch(`http://127.0.0.1:${port}/to-metadata`, local()).catch((e: unknown) => e);
    expect((err as BaimoError).code).toBe('url_forbidden');
    expect((err as BaimoError).message).not.toContain('169.254');
  });

  it('refuses a redirect to another private address', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/to-private`, local()))).toBe('url_forbidden');
  });

  it('stops after maxRedirects', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/loop`, local()))).toBe('fetch_failed');
  });

  it('aborts a streamed body past maxBytes', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/big`, { ...local(), maxBytes: 64 * 1024 }))).toBe('fetch_too_large');
  });

  it('refuses a declared content-length over the limit', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/big-declared`, { ...local(), maxBytes: 1000 }))).toBe('fetch_too_large');
  });

  it('times out a body that never ends', async () => {
    const t0 = performance.now();
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/hang`, { ...local(), timeoutMs: 150 }))).toBe('fetch_timeout');
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('times out through the injected timer (fake timer fires immediately)', async () => {
    const setTimer = (fire: () => void) => {
      queueMicrotask(fire);
      return () => undefined;
    };
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/hang`, { ...local(), setTimer }))).toBe('fetch_timeout');
  });

  it('enforces the content-type allow-list', async () => {
    const opts = { ...local(), allowedContentTypes: ['text/*', 'application/pdf'] };
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/binary`, opts))).toBe('fetch_content_type');
    expect((await safeFetch(`http://127.0.0.1:${port}/ok`, opts)).bytes.toString()).toBe('hello');
  });

  it('maps a non-2xx answer to fetch_failed', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${port}/missing`, local()))).toBe('fetch_failed');
  });

  it('POSTs a body and, with anyStatus, answers any status and follows no redirect (webhooks)', async () => {
    const post = (path: string, body: string) =>
      safeFetch(`http://127.0.0.1:${port}${path}`, local({ method: 'POST', body, anyStatus: true, headers: { 'content-type': 'application/json' } }));
    const ok = await post('/hook', '{"a":1}');
    expect(ok.status).toBe(202);
    expect(ok.bytes.toString()).toBe('POST application/json {"a":1}');
    expect((await post('/hook', '{"fail":1}')).status).toBe(503);
    expect((await post('/missing', '{}')).status).toBe(404);
    expect((await post('/to-ok', '{}')).status).toBe(307);
  });
});

describe('safeFetch: DNS rebinding', () => {
  it('resolves once per hop and connects to the checked address, keeping the Host header', async () => {
    // First answer is the checked one; any later answer points somewhere the test server is not.
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '192.0.2.1', family: 4 }]];
    const lookup = vi.fn<LookupFn>(async () => answers.shift() ?? [{ address: '192.0.2.1', family: 4 }]);
    const r = await safeFetch(`http://docs.rebind.test:${port}/host`, base({ lookup, allowedHosts: ['docs.rebind.test'] }));
    expect(r.bytes.toString()).toBe(`docs.rebind.test:${port}`);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith('docs.rebind.test');
  });

  it('a rebinding answer on the redirect hop is checked again and refused', async () => {
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '169.254.169.254', family: 4 }]];
    const lookup = vi.fn<LookupFn>(async () => answers.shift()!);
    routes.set('/to-self-name', (_q, res) => res.writeHead(302, { location: `http://docs.rebind.test:${port}/ok` }).end());
    const opts = base({ lookup, allowedHosts: ['docs.rebind.test'] });
    expect(await codeOf(safeFetch(`http://docs.rebind.test:${port}/to-self-name`, opts))).toBe('url_forbidden');
    expect(lookup).toHaveBeenCalledTimes(2);
  });
});
