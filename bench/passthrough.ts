import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import { announcePort, exitWithParent, portArg } from './child-lifecycle.js';

/**
 * The baseline Baimo is measured against: the least a Node proxy can do. node:http in, an undici
 * keep-alive pool out, bodies piped both ways, no parsing. Only hop-by-hop headers are dropped,
 * because undici refuses them on a request and node:http sets its own framing on the response.
 * Pool size and keep-alive match Baimo's transport (src/providers/transport.ts), so the two
 * proxies differ only in what Baimo does per request.
 */

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'expect']);

function forwardable(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function main(): void {
  const upstream = `http://127.0.0.1:${portArg('upstream')}`;
  const pool = new Pool(upstream, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    pool.request(
      {
        path: req.url ?? '/',
        method: (req.method ?? 'GET') as 'GET',
        headers: forwardable(req.headers) as Record<string, string>,
        body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
      },
      (err, data) => {
        if (err) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: err.message, type: 'upstream_error' } }));
          return;
        }
        res.writeHead(data.statusCode, forwardable(data.headers));
        // Plain pipe, not stream.pipeline: on Node 20 pipeline aborts an AbortController on every
        // completion, and building that DOMException cost ~8% of this proxy's CPU in a profile;
        // the baseline must be the cheapest honest proxy.
        data.body.on('error', () => res.destroy());
        res.on('close', () => {
          if (!res.writableFinished) data.body.destroy();
        });
        data.body.pipe(res);
      },
    );
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    announcePort(address.port);
  });
  exitWithParent(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.close();
  });
}

main();
