import type { FastifyRequest } from 'fastify';
import { BaimoError } from '../protocol/errors.js';
import type { UsageScope } from './usage-queries.js';

/**
 * Who is reading usage or logs, as the server's auth decides (injected: metering does not know
 * keys or memberships). Operators see every org; a console user sees the orgs they belong to;
 * a tenant key sees its own org.
 */
export type UsageViewer =
  | { kind: 'operator' }
  | { kind: 'key'; orgId: string; keyId: string }
  | { kind: 'user'; orgIds: string[] };

export type AuthorizeViewer = (request: FastifyRequest) => UsageViewer | Promise<UsageViewer>;

/**
 * The scope a viewer may read, narrowed by the filters it asked for. Asking for another org is
 * answered 404 `not_found` — the same answer as for an org that does not exist — so the reply
 * never confirms that a foreign org id is real. A foreign `key_id` inside one's own scope simply
 * matches nothing.
 */
export function scopeFor(viewer: UsageViewer, requested: { orgId?: string; keyId?: string }): UsageScope {
  const keyId = requested.keyId;
  switch (viewer.kind) {
    case 'operator':
      return { orgId: requested.orgId, keyId };
    case 'key':
      if (requested.orgId !== undefined && requested.orgId !== viewer.orgId) throw orgNotFound(requested.orgId);
      return { orgId: viewer.orgId, keyId };
    case 'user':
      if (requested.orgId === undefined) return { orgIds: viewer.orgIds, keyId };
      if (!viewer.orgIds.includes(requested.orgId)) throw orgNotFound(requested.orgId);
      return { orgId: requested.orgId, keyId };
  }
}

export function orgNotFound(orgId: string): BaimoError {
  return new BaimoError('not_found', `No organization '${orgId}' is visible to you.`, { status: 404, code: 'not_found', param: 'org_id' });
}
