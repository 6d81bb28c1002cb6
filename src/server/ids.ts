import { randomBytes } from 'node:crypto';

/**
 * Request and response ids: a random per-process prefix plus a counter. Unique across replicas and
 * restarts without a syscall per request (randomBytes per id showed up in the bench profile);
 * ids are identifiers, not secrets.
 */
export function createIdGenerator(separator = '_'): (prefix: string) => string {
  const processPart = randomBytes(8).toString('base64url');
  let counter = 0;
  return (prefix) => `${prefix}${separator}${processPart}${(counter++).toString(36).padStart(6, '0')}`;
}
