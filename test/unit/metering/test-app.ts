import Fastify, { type FastifyInstance } from 'fastify';
import type { UsageViewer } from '../../../src/metering/index.js';
import { unauthenticated } from '../../../src/protocol/errors.js';
import { errorHandler, notFoundHandler } from '../../../src/server/error-handler.js';

/** Bearer token → viewer; the server's real auth is injected the same way. */
export const VIEWERS: Record<string, UsageViewer> = {
  op: { kind: 'operator' },
  'key-a': { kind: 'key', orgId: 'org_a', keyId: 'key_a1' },
  'key-b': { kind: 'key', orgId: 'org_b', keyId: 'key_b1' },
  'user-a': { kind: 'user', orgIds: ['org_a'] },
  'user-ab': { kind: 'user', orgIds: ['org_a', 'org_b'] },
  'user-none': { kind: 'user', orgIds: [] },
};

export function authorize(request: { headers: Record<string, unknown> }): UsageViewer {
  const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
  const viewer = VIEWERS[token];
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** A Fastify app with the server's own error and not-found handlers, so errors have the real shape. */
export function testApp(register: (app: FastifyInstance) => void): FastifyInstance {
  const app = Fastify();
  app.setErrorHandler(errorHandler(() => 1_000_000));
  app.setNotFoundHandler(notFoundHandler);
  register(app);
  return app;
}
