import { unauthenticated } from '../protocol/errors.js';
import { requireOperator } from './permissions.js';
import type { Principal } from './principal.js';
import { publicRoute, route, type RouteSpec } from './route-spec.js';
import { createUserBody, listOf, loginBody, meSchema, okSchema, sessionSchema, userSchema } from './schemas.js';
import { clearedSessionCookie, isHttps, readCookie, SESSION_COOKIE, sessionCookie } from './session-cookie.js';
import { iso } from './views.js';

/** Users (created by the operator) and the console's sign-in. */
export const userRoutes: RouteSpec[] = [
  route({ method: 'POST', path: '/admin/v1/users', summary: 'Create a console user (operator)', tag: 'users', body: createUserBody, response: userSchema, status: 201 }, async ({ principal, body, tenancy }) => {
    requireOperator(principal);
    return tenancy.createUser(body);
  }),
  route({ method: 'GET', path: '/admin/v1/users', summary: 'List users (operator)', tag: 'users', response: listOf(userSchema) }, async ({ principal, tenancy }) => {
    requireOperator(principal);
    return { data: await tenancy.listUsers() };
  }),

  publicRoute(
    {
      method: 'POST',
      path: '/admin/v1/auth/login',
      summary: `Sign in; sets the HttpOnly \`${SESSION_COOKIE}\` cookie`,
      tag: 'auth',
      body: loginBody,
      response: sessionSchema,
      // The sign-in throttle (login-throttle.ts) answers 429 too_many_login_attempts with retry-after.
      errors: [400, 401, 429],
    },
    async ({ body, tenancy, request, reply }) => {
      // Refused before bcrypt runs: a locked-out guess costs the server nothing.
      await tenancy.loginThrottle.check(body.email, request.ip);
      const user = await tenancy.authenticatePassword(body.email, body.password);
      if (!user) {
        await tenancy.loginThrottle.failed(body.email, request.ip);
        throw unauthenticated('Incorrect email or password.');
      }
      await tenancy.loginThrottle.succeeded(body.email);
      const session = await tenancy.createSession(user.id);
      reply.header('set-cookie', sessionCookie(session.token, session.maxAgeSeconds, isHttps(request)));
      reply.header('cache-control', 'no-store');
      return { user, orgs: await tenancy.rolesOf(user.id), expires_at: iso(session.expiresAt) };
    },
  ),
  publicRoute({ method: 'POST', path: '/admin/v1/auth/logout', summary: 'Sign out: ends the session and clears the cookie', tag: 'auth', response: okSchema }, async ({ tenancy, request, reply }) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token) await tenancy.deleteSession(token);
    reply.header('set-cookie', clearedSessionCookie(isHttps(request)));
    return { ok: true };
  }),
  route({ method: 'GET', path: '/admin/v1/auth/me', summary: 'Who the caller is', tag: 'auth', response: meSchema }, async ({ principal }) => describePrincipal(principal)),
];

function describePrincipal(principal: Principal) {
  switch (principal.kind) {
    case 'operator':
      return { kind: 'operator' };
    case 'key':
      return { kind: 'key', key: { id: principal.keyId, name: principal.keyName }, org: { id: principal.orgId, name: principal.orgName } };
    case 'user':
      return {
        kind: 'user',
        user: { id: principal.userId, email: principal.email, name: principal.name },
        orgs: principal.roles.map((r) => ({ org_id: r.orgId, org_name: r.orgName, role: r.role })),
      };
  }
}
