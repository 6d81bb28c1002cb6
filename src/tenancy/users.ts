import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { isUniqueViolation, type TenancyContext } from './context.js';
import { conflict, notFound } from './errors.js';
import type { CreateUserInput } from './schemas.js';
import { userView, type User } from './views.js';

/**
 * Console users, passwords and sessions. Passwords are low-entropy, so they get a slow salted
 * hash (bcrypt, cost 10 ≈ 50–100 ms); bcryptjs draws the salt from node:crypto itself. Session
 * tokens are 32 random bytes: only their SHA-256 is stored, so a copy of the table is useless.
 */

const BCRYPT_COST = 10;
/**
 * Compared against when the email is unknown, so timing does not tell which emails exist. A cost-10
 * hash of a random string nobody kept: no password matches it.
 */
const DUMMY_HASH = '$2b$10$EItaVkhwCytbFoe6ETy.HOJrl.B17sppTT.vF9IgBbwIT8mRZEm8C';

export interface ResolvedSession {
  sessionId: string;
  user: User;
  expiresAt: number;
}

export interface NewSession {
  /** Goes into the cookie; never stored. */
  token: string;
  sessionId: string;
  expiresAt: number;
  /** For the cookie's Max-Age. */
  maxAgeSeconds: number;
}

export async function createUser(ctx: TenancyContext, input: CreateUserInput): Promise<User> {
  const row = {
    id: ctx.newId('user'),
    email: input.email.toLowerCase(),
    name: input.name,
    password_hash: await bcrypt.hash(input.password, BCRYPT_COST),
    created_at: ctx.now(),
  };
  try {
    await ctx.db.insertInto('users').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A user with email '${row.email}' already exists.`, 'email', 'user_exists');
    throw err;
  }
  return userView(row);
}

export async function getUser(ctx: TenancyContext, userId: string): Promise<User> {
  const row = await ctx.db.selectFrom('users').select(['id', 'email', 'name', 'created_at']).where('id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('user', userId);
  return userView(row);
}

export async function findUserByEmail(ctx: TenancyContext, email: string): Promise<User | undefined> {
  const row = await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'created_at'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row && userView(row);
}

export async function listUsers(ctx: TenancyContext): Promise<User[]> {
  const rows = await ctx.db.selectFrom('users').select(['id', 'email', 'name', 'created_at']).orderBy('email').execute();
  return rows.map(userView);
}

/** The user if the password matches, else undefined (same cost either way). */
export async function authenticatePassword(ctx: TenancyContext, email: string, password: string): Promise<User | undefined> {
  const row = await ctx.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  const ok = await bcrypt.compare(password, row?.password_hash ?? DUMMY_HASH);
  return row && ok ? userView(row) : undefined;
}

export const hashSessionToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export async function createSession(ctx: TenancyContext, userId: string, ttlMs: number): Promise<NewSession> {
  const token = ctx.randomBytes(32).toString('base64url');
  const at = ctx.now();
  const session = { id: hashSessionToken(token), user_id: userId, created_at: at, expires_at: at + ttlMs };
  await ctx.db.transaction().execute(async (trx) => {
    // Housekeeping without a timer: a user's dead sessions go when they next sign in.
    await trx.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', at).execute();
    await trx.insertInto('sessions').values(session).execute();
  });
  return { token, sessionId: session.id, expiresAt: session.expires_at, maxAgeSeconds: Math.floor(ttlMs / 1000) };
}

export async function resolveSession(ctx: TenancyContext, token: string): Promise<ResolvedSession | undefined> {
  const id = hashSessionToken(token);
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.expires_at', 'users.id', 'users.email', 'users.name', 'users.created_at'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.expires_at <= ctx.now()) {
    await ctx.db.deleteFrom('sessions').where('id', '=', id).execute();
    return undefined;
  }
  return { sessionId: row.session_id, user: userView(row), expiresAt: row.expires_at };
}

export async function deleteSession(ctx: TenancyContext, token: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id', '=', hashSessionToken(token)).execute();
}
