import { BaimoError } from '../protocol/errors.js';

/**
 * Tenancy's additions to the one error hierarchy (protocol/errors.ts). `notFound` is also what
 * a caller gets for another org's resource: the message is identical whether the thing is
 * missing or merely invisible to them, so existence never leaks across tenants.
 */

export type ResourceKind = 'org' | 'key' | 'user' | 'member';

export const notFound = (kind: ResourceKind, id: string) =>
  new BaimoError('not_found', `No ${kind} '${id}' was found.`, { status: 404, code: `${kind}_not_found` });

export const conflict = (message: string, param: string | null, code: string) =>
  new BaimoError('validation', message, { status: 409, code, param });

/** Adding a member by email: the param is `email`, and the message names the address given. */
export const userEmailNotFound = (email: string) =>
  new BaimoError('not_found', `No user with email '${email}' was found.`, { status: 404, code: 'user_not_found', param: 'email' });
