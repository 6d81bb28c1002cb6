import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { errorHandler, notFoundHandler } from '../../src/server/error-handler.js';
import type { Store } from '../../src/store/index.js';
import { createRequestAuthenticator, registerTenancyRoutes, type Tenancy } from '../../src/tenancy/index.js';
import { sqliteBackend } from './backends.js';
import { openTenancy, type TestTenancyOptions } from './tenancy.js';

export const MASTER = 'sk-bm-master-test-0123456789';

export interface TenancyApp {
  app: FastifyInstance;
  tenancy: Tenancy;
  store: Store;
  /** Everything Fastify logged (trace level), for "no secret in logs" checks. */
  logs: string[];
  call(method: string, url: string, opts?: { auth?: string; cookie?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A Fastify app with only the tenancy routes, the server's error handlers and a trace logger. */
export async function startTenancyApp(opts: { store?: Store } & TestTenancyOptions = {}): Promise<TenancyApp> {
  const store = opts.store ?? (await sqliteBackend.open());
  const tenancy = await openTenancy(store, opts);
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = Fastify({ logger: { level: 'trace', stream } });
  app.setErrorHandler(errorHandler(() => 1 << 20));
  app.setNotFoundHandler(notFoundHandler);
  registerTenancyRoutes(app, { tenancy, authorize: createRequestAuthenticator({ tenancy, masterKey: MASTER }) });
  await app.ready();
  return {
    app,
    tenancy,
    store,
    logs,
    call(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.auth) headers.authorization = `Bearer ${o.auth}`;
      if (o.cookie) headers.cookie = o.cookie;
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(o.body === undefined ? {} : typeof o.body === 'string' ? { payload: o.body } : { payload: o.body as object }),
      });
    },
    async close() {
      await app.close();
      await tenancy.close();
      await store.close();
    },
  };
}

/** `baimo_session=<token>` from a login answer's set-cookie. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const line = Array.isArray(header) ? header[0]! : String(header);
  return line.split(';')[0]!;
}
