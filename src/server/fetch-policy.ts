import type { AddressPolicy } from '../net/index.js';

/**
 * Which non-public addresses tenant-supplied URLs (knowledge documents, alert webhooks) may
 * reach: BAIMO_FETCH_ALLOW_PRIVATE=1 for all, or the hosts in BAIMO_FETCH_ALLOWED_HOSTS.
 */
export function fetchPolicy(env: Record<string, string | undefined>): AddressPolicy {
  return {
    allowPrivate: env.BAIMO_FETCH_ALLOW_PRIVATE === '1' || env.BAIMO_FETCH_ALLOW_PRIVATE === 'true',
    allowedHosts: (env.BAIMO_FETCH_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
}
