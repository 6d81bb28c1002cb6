import type { FastifyInstance } from 'fastify';
import type { AuthenticateRequest } from './authenticate-request.js';
import { buildOpenApiDocument } from './openapi.js';
import type { RouteDoc, RouteSpec } from './route-spec.js';
import { keyRoutes } from './routes-keys.js';
import { orgRoutes } from './routes-orgs.js';
import { userRoutes } from './routes-users.js';
import type { Tenancy } from './tenancy.js';

/**
 * The admin API for tenancy (DESIGN.md §2a). Each route authenticates through `authorize` itself
 * (memoised per request, so a server-wide hook may call it too); errors are BaimoErrors for the
 * app's single error handler.
 */

export interface TenancyRouteOptions {
  tenancy: Tenancy;
  authorize: AuthenticateRequest;
  /** Other modules' admin routes, documented in `openapi.json` after tenancy's own. */
  documented?: readonly RouteDoc[];
}

export const TENANCY_ROUTES: readonly RouteSpec[] = [...orgRoutes, ...keyRoutes, ...userRoutes];

export const OPENAPI_PATH = '/admin/v1/openapi.json';

/** Paths that must stay reachable without a credential (a server-wide auth hook must skip them). */
export const TENANCY_PUBLIC_PATHS: readonly string[] = [...TENANCY_ROUTES.filter((r) => r.public).map((r) => r.path), OPENAPI_PATH];

export function registerTenancyRoutes(app: FastifyInstance, opts: TenancyRouteOptions): void {
  for (const spec of TENANCY_ROUTES) {
    app.route({
      method: spec.method,
      url: spec.path.replace(/\{(\w+)\}/g, ':$1'),
      handler: async (request, reply) => {
        const result = await spec.run({ request, reply, tenancy: opts.tenancy, authorize: opts.authorize });
        // Answers carry key plaintexts, emails and limits: no intermediary may keep a copy.
        reply.header('cache-control', 'no-store');
        return reply.code(spec.status ?? 200).send(result);
      },
    });
  }
  let document: unknown;
  app.get(OPENAPI_PATH, async () => (document ??= buildOpenApiDocument([...TENANCY_ROUTES, ...(opts.documented ?? [])])));
}
