import { Redis } from 'ioredis';

/**
 * Redis connections for scale-out mode (cross-replica limits, budget reservations, key-revocation
 * notices). One command connection per process; subscribers need their own (`duplicate()`).
 */
export function openRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true, lazyConnect: false });
}

export type { Redis };
