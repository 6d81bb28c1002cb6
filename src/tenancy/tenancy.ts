import type { Redis, Store } from '../store/index.js';
import { createChangeFeed } from './change-feed.js';
import type { TenancyContext } from './context.js';
import * as credentials from './credentials.js';
import { createKeyAuthenticator, type KeyCacheStats } from './key-auth.js';
import { createLoginThrottle, DEFAULT_LOGIN_THROTTLE, type LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import * as keys from './keys.js';
import * as members from './members.js';
import * as orgs from './orgs.js';
import { userEmailNotFound } from './errors.js';
import type { KeyPrincipal } from './principal.js';
import type { AddMemberInput, CreateKeyInput, CreateOrgInput, CreateUserInput, UpdateKeyInput, UpdateOrgInput } from './schemas.js';
import { createSecretBox } from './secret-box.js';
import type { Role, TenancyTables } from './tables.js';
import * as users from './users.js';
import type { ApiKey, CreatedKey, Member, Org, OrgRole, User } from './views.js';

/**
 * The tenancy module's one entry point: everything the platform does with orgs, users, members,
 * keys and stored provider credentials goes through the object this returns (house rule 2).
 * Inputs are trusted: the admin API validated them with schemas.ts.
 */

export interface TenancyOptions {
  /** How often each replica polls for changes it may have missed (Redis down or absent). */
  pollIntervalMs: number;
  /** How long an unknown or revoked key is remembered (≤ 1 s: see key-auth.ts). */
  negativeTtlMs: number;
  /** Safety net for edits made outside Baimo: a cached key is re-read at least this often. */
  cacheMaxAgeMs: number;
  cacheMaxEntries: number;
  /** How often `last_used_at` is written (batched, never per request). */
  touchIntervalMs: number;
  sessionTtlMs: number;
  /** Failed sign-ins allowed per email and per client address in a window (login-throttle.ts). */
  login: LoginThrottleOptions;
}

export const DEFAULT_TENANCY_OPTIONS: Readonly<TenancyOptions> = Object.freeze({
  pollIntervalMs: 500,
  negativeTtlMs: 1000,
  cacheMaxAgeMs: 60_000,
  cacheMaxEntries: 100_000,
  touchIntervalMs: 10_000,
  sessionTtlMs: 7 * 24 * 3600_000,
  login: DEFAULT_LOGIN_THROTTLE,
});

export interface TenancyDeps {
  store: Store;
  /** 32 bytes (deriveSecretKey): encrypts provider credentials and keys the API-key hash. */
  secretKey: Buffer;
  now: () => number;
  newId: (prefix: string) => string;
  randomBytes: (n: number) => Buffer;
  /** Scale-out mode: key changes reach other replicas at once instead of by polling. */
  redis?: Redis;
  log?: (message: string, err?: unknown) => void;
  options?: Partial<TenancyOptions>;
}

export interface Tenancy {
  createOrg(input: CreateOrgInput): Promise<Org>;
  getOrg(orgId: string): Promise<Org>;
  /** For alert delivery only: the full URL, which org answers show masked. */
  alertWebhookUrl(orgId: string): Promise<string | undefined>;
  /** All orgs, or those with the given ids. */
  listOrgs(ids?: readonly string[]): Promise<Org[]>;
  updateOrg(orgId: string, patch: UpdateOrgInput): Promise<Org>;
  deleteOrg(orgId: string): Promise<void>;

  createUser(input: CreateUserInput): Promise<User>;
  getUser(userId: string): Promise<User>;
  findUserByEmail(email: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  authenticatePassword(email: string, password: string): Promise<User | undefined>;
  createSession(userId: string): Promise<users.NewSession>;
  resolveSession(token: string): Promise<users.ResolvedSession | undefined>;
  deleteSession(token: string): Promise<void>;
  /** Failed sign-ins per email and address (in Redis in scale-out mode, so it holds across replicas). */
  loginThrottle: LoginThrottle;

  addMember(orgId: string, userId: string, role: Role): Promise<Member>;
  /** By user id or email (the admin API's body). */
  addMemberBy(orgId: string, input: AddMemberInput): Promise<Member>;
  setMemberRole(orgId: string, userId: string, role: Role): Promise<Member>;
  getMember(orgId: string, userId: string): Promise<Member>;
  removeMember(orgId: string, userId: string): Promise<void>;
  listMembers(orgId: string): Promise<Member[]>;
  rolesOf(userId: string): Promise<OrgRole[]>;

  createKey(orgId: string, input: CreateKeyInput): Promise<CreatedKey>;
  getKey(keyId: string): Promise<ApiKey>;
  listKeys(orgId: string): Promise<ApiKey[]>;
  updateKey(keyId: string, patch: UpdateKeyInput): Promise<ApiKey>;
  revokeKey(keyId: string): Promise<ApiKey>;
  rotateKey(keyId: string): Promise<CreatedKey>;
  /** Request path: cached; throws unauthenticated() (unknown, revoked, expired) or forbidden() (org disabled). */
  authenticateKey(plaintext: string): Promise<KeyPrincipal>;

  setProviderCredential(provider: string, plaintext: string): Promise<void>;
  getProviderCredential(provider: string): Promise<string | undefined>;
  listProviderCredentials(): Promise<{ provider: string; updated_at: number }[]>;
  deleteProviderCredential(provider: string): Promise<boolean>;

  /** Poll for missed changes now (the timer does this every `pollIntervalMs`). */
  sync(): Promise<void>;
  flushLastUsed(): Promise<void>;
  cacheStats(): KeyCacheStats;
  /** Stops the timers and the Redis subscriber, writes pending `last_used_at`. Leaves the store and `redis` open (the caller owns them). */
  close(): Promise<void>;
}

export async function createTenancy(deps: TenancyDeps): Promise<Tenancy> {
  const options = { ...DEFAULT_TENANCY_OPTIONS, ...deps.options };
  if (options.negativeTtlMs > 1000) throw new Error('tenancy: negativeTtlMs must be ≤ 1000 (a new key must not be refused for longer).');
  const log = deps.log ?? (() => {});
  const db = deps.store.db.withTables<TenancyTables>();
  const hashKey = keys.createKeyHasher(deps.secretKey);
  const keyAuth = createKeyAuthenticator({
    db,
    now: deps.now,
    hashKey,
    negativeTtlMs: options.negativeTtlMs,
    maxAgeMs: options.cacheMaxAgeMs,
    maxEntries: options.cacheMaxEntries,
    touchIntervalMs: options.touchIntervalMs,
    log,
  });
  const feed = createChangeFeed({ db, redis: deps.redis, origin: deps.newId('tenancy'), pollIntervalMs: options.pollIntervalMs, invalidate: keyAuth.invalidate, log });
  const ctx: TenancyContext = { db, dialect: deps.store.dialect, now: deps.now, newId: deps.newId, randomBytes: deps.randomBytes, feed };
  const keyCtx: keys.KeyContext = { ...ctx, hashKey, issued: keyAuth.forgetNegative };
  const credCtx = { ...ctx, box: createSecretBox(deps.secretKey, deps.randomBytes) };

  await feed.start();
  keyAuth.start();

  return {
    createOrg: (input) => orgs.createOrg(ctx, input),
    getOrg: (orgId) => orgs.getOrg(ctx, orgId),
    alertWebhookUrl: (orgId) => orgs.alertWebhookUrl(ctx, orgId),
    listOrgs: (ids) => orgs.listOrgs(ctx, ids),
    updateOrg: (orgId, patch) => orgs.updateOrg(ctx, orgId, patch),
    deleteOrg: (orgId) => orgs.deleteOrg(ctx, orgId),

    createUser: (input) => users.createUser(ctx, input),
    getUser: (userId) => users.getUser(ctx, userId),
    findUserByEmail: (email) => users.findUserByEmail(ctx, email),
    listUsers: () => users.listUsers(ctx),
    authenticatePassword: (email, password) => users.authenticatePassword(ctx, email, password),
    createSession: (userId) => users.createSession(ctx, userId, options.sessionTtlMs),
    resolveSession: (token) => users.resolveSession(ctx, token),
    deleteSession: (token) => users.deleteSession(ctx, token),
    loginThrottle: createLoginThrottle({ redis: deps.redis, now: deps.now, options: options.login }),

    addMember: (orgId, userId, role) => members.addMember(ctx, orgId, userId, role),
    async addMemberBy(orgId, input) {
      let userId = input.user_id;
      if (userId === undefined) {
        const user = await users.findUserByEmail(ctx, input.email ?? '');
        if (!user) throw userEmailNotFound(input.email ?? '');
        userId = user.id;
      }
      return members.addMember(ctx, orgId, userId, input.role);
    },
    setMemberRole: (orgId, userId, role) => members.setMemberRole(ctx, orgId, userId, role),
    getMember: (orgId, userId) => members.getMember(ctx, orgId, userId),
    removeMember: (orgId, userId) => members.removeMember(ctx, orgId, userId),
    listMembers: (orgId) => members.listMembers(ctx, orgId),
    rolesOf: (userId) => members.rolesOf(ctx, userId),

    createKey: (orgId, input) => keys.createKey(keyCtx, orgId, input),
    getKey: (keyId) => keys.getKey(ctx, keyId),
    listKeys: (orgId) => keys.listKeys(ctx, orgId),
    updateKey: (keyId, patch) => keys.updateKey(ctx, keyId, patch),
    revokeKey: (keyId) => keys.revokeKey(ctx, keyId),
    rotateKey: (keyId) => keys.rotateKey(keyCtx, keyId),
    authenticateKey: (plaintext) => keyAuth.authenticate(plaintext),

    setProviderCredential: (provider, plaintext) => credentials.setProviderCredential(credCtx, provider, plaintext),
    getProviderCredential: (provider) => credentials.getProviderCredential(credCtx, provider),
    listProviderCredentials: () => credentials.listProviderCredentials(ctx),
    deleteProviderCredential: (provider) => credentials.deleteProviderCredential(ctx, provider),

    sync: () => feed.poll(),
    flushLastUsed: () => keyAuth.flushLastUsed(),
    cacheStats: () => keyAuth.stats(),
    async close() {
      await feed.close();
      await keyAuth.close();
    },
  };
}
