/** Tenancy: orgs, users, members, API keys, console sessions, stored provider credentials. */
export { createTenancy, DEFAULT_TENANCY_OPTIONS, type Tenancy, type TenancyDeps, type TenancyOptions } from './tenancy.js';
export { tenancyMigrations } from './migrations.js';
export type { OperatorPrincipal, KeyPrincipal, UserPrincipal, Principal, KeyLimits, OrgLimits, UserRoleInOrg } from './principal.js';
export { createRequestAuthenticator, presentedKey, type AuthenticateRequest, type RequestAuthenticatorDeps } from './authenticate-request.js';
export { registerTenancyRoutes, TENANCY_ROUTES, TENANCY_PUBLIC_PATHS, OPENAPI_PATH, type TenancyRouteOptions } from './routes.js';
export { buildOpenApiDocument } from './openapi.js';
export type { RouteSpec, RouteDoc, ErrorStatus, Method } from './route-spec.js';
export { createSecretBox, deriveSecretKey, type SecretBox, type Sealed } from './secret-box.js';
export { TENANCY_CHANNEL } from './change-feed.js';
export { KEY_PREFIX } from './keys.js';
export { SESSION_COOKIE } from './session-cookie.js';
export { runOrgsCommand, runKeysCommand, ORGS_HELP, KEYS_HELP, type CliIo } from './cli.js';
export type { Org, ApiKey, CreatedKey, User, Member, OrgRole } from './views.js';
export type { BudgetPeriod, Role } from './tables.js';
export type { CreateOrgInput, UpdateOrgInput, CreateKeyInput, UpdateKeyInput, CreateUserInput, AddMemberInput } from './schemas.js';
