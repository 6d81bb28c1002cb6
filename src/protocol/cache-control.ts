import type { CacheControl } from './chat.js';

/**
 * A `cache_control` value as the canonical form keeps it: `{type: 'ephemeral'}` with Anthropic's
 * `ttl` when it is one of its two values; anything else (a typo, another vendor's shape) is no
 * breakpoint rather than an upstream 400.
 */
export function cacheControlOf(value: unknown): CacheControl | undefined {
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'ephemeral') return undefined;
  const ttl = (value as { ttl?: unknown }).ttl;
  return ttl === '5m' || ttl === '1h' ? { type: 'ephemeral', ttl } : { type: 'ephemeral' };
}
