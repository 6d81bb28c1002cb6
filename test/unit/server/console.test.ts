import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsole } from '../../../src/server/console.js';
import { notFoundHandler } from '../../../src/server/error-handler.js';

/** Serving the built console: files, the SPA fallback, cache headers, and API paths kept as JSON 404s. */
describe('registerConsole', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baimo-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    app = Fastify();
    app.setNotFoundHandler(notFoundHandler);
    app.get('/healthz', async () => ({ status: 'ok' }));
    registerConsole(app, { root: dir });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for any page path a browser asks for, never cached, with a CSP', async () => {
    for (const url of ['/', '/logs', '/orgs/org_123', '/playground?x=1']) {
      const res = await app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.body, url).toContain('<title>console</title>');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
    }
  });

  it('serves hashed assets with a long, immutable cache', async () => {
    const res = await app.inject({ url: '/assets/index-Ab12Cd34.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/favicon.svg' })).headers['cache-control']).toBe('no-cache');
  });

  it('keeps the JSON 404 for API paths and for files that are not there', async () => {
    for (const url of ['/v1/nope', '/v1', '/admin/v1/nope', '/admin', '/healthz/x', '/readyz', '/metrics/x', '/assets/missing.js', '/robots.txt']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('not_found');
    }
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    // An API client (no text/html in Accept) on an unknown path keeps the JSON 404.
    expect((await app.inject({ url: '/logs', headers: { accept: 'application/json' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/logs' })).statusCode).toBe(404);
  });

  it('answers 503 with a hint when the console was not built', async () => {
    const bare = Fastify();
    bare.setNotFoundHandler(notFoundHandler);
    registerConsole(bare, { root: join(dir, 'absent') });
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:console');
    expect((await bare.inject({ url: '/v1/models' })).statusCode).toBe(404);
    await bare.close();
  });
});
