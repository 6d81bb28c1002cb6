import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../protocol/errors.js';

/** Who is calling. Tenant keys (issue #3) add a `key` variant; the pipeline already carries it. */
export type Principal = { kind: 'operator' };

export type Authenticator = (request: FastifyRequest) => Promise<Principal> | Principal;

/** `Authorization: Bearer <key>` or `x-api-key: <key>` (DESIGN.md §2). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  const xKey = request.headers['x-api-key'];
  return typeof xKey === 'string' && xKey.length > 0 ? xKey.trim() : undefined;
}

/** Until tenancy lands, the platform master key is the only credential. Compared in constant time. */
export function masterKeyAuthenticator(masterKey: string): Authenticator {
  return (request) => {
    const key = presentedKey(request);
    if (!key) throw unauthenticated('You must provide an API key: Authorization: Bearer <key>.');
    if (!isMasterKey(key, masterKey)) throw unauthenticated('Incorrect API key provided.');
    return { kind: 'operator' };
  };
}

/** Constant-time for keys of the master key's length; the length itself is not a secret. */
export function isMasterKey(presented: string, masterKey: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(masterKey);
  return a.length === b.length && timingSafeEqual(a, b);
}
