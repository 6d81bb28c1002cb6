import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The web console (DESIGN.md §2: `/`): the files `vite build console` wrote to dist/console,
 * served as they are, and index.html for any other page path so that deep links and reloads work
 * (the console routes with the History API). API paths never get the HTML: an unknown
 * `/v1/…`, `/admin/…`, `/healthz`, `/readyz` or `/metrics` path keeps the JSON 404.
 */

export interface ConsoleOptions {
  /** The built console (its index.html and assets/). */
  root: string;
}

const API_PATH = /^\/(?:v1|admin|healthz|readyz|metrics)(?:\/|$)/;
/** A path naming a file (`/favicon.ico`, `/assets/x.js`): if it was not served, it is a 404. */
const FILE_PATH = /\/[^/]*\.[A-Za-z0-9]+$/;
/** Vite names these after their content hash: a new build gets new names, so caching forever is safe. */
const HASHED_ASSET = /[/\\]assets[/\\]/;

/**
 * The page itself may only load from this origin and may not be framed (it carries buttons that
 * revoke keys). Inline styles stay allowed: React and ECharts set style attributes.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function registerConsole(app: FastifyInstance, opts: ConsoleOptions): void {
  if (!existsSync(join(opts.root, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The Baimo console is not built: run `npm run build:console` (npm ci does it).\n'),
    );
    return;
  }

  app.register(fastifyStatic, {
    root: opts.root,
    // One route per built file, listed at start: nothing outside the build can be asked for.
    wildcard: false,
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('cache-control', HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
      if (path.endsWith('.html')) {
        res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
        res.setHeader('referrer-policy', 'same-origin');
      }
    },
  });

  app.get('/*', (request, reply) => {
    const path = request.url.split('?')[0]!;
    // Browsers (Accept: text/html) get the app for deep links; API clients keep the JSON 404.
    const wantsHtml = String(request.headers.accept ?? '').includes('text/html');
    if (API_PATH.test(path) || FILE_PATH.test(path) || !wantsHtml) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
}

/** dist/console of the installed package, from either src/server (tests) or dist/src/server (build). */
export function defaultConsoleRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'dist', 'console');
}
