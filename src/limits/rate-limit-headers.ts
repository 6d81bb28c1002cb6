import type { ScopeVerdict } from './verdict.js';

/**
 * A duration as OpenAI writes it in `x-ratelimit-reset-*` (Go's time.Duration format at
 * millisecond precision): `0s`, `12ms`, `1s`, `1.5s`, `6m0s`, `1h2m3.5s`.
 */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = ((total % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

export interface Gauge {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** The binding gauge of one dimension: least remaining, then the one that takes longest to reset. */
function tightest(verdicts: ScopeVerdict[], dimension: 'requests' | 'tokens'): Gauge | undefined {
  let best: Gauge | undefined;
  for (const v of verdicts) {
    const g = v[dimension];
    if (!g) continue;
    if (!best || g.remaining < best.remaining || (g.remaining === best.remaining && g.resetMs > best.resetMs)) best = g;
  }
  return best;
}

/**
 * `x-ratelimit-*` headers, as OpenAI sends them, for the tightest scope per dimension. Requests
 * and tokens are chosen independently and across key and org scopes alike: if the org is the
 * binding limit, headers from the key would promise room the client cannot use.
 */
export function rateLimitHeaders(verdicts: ScopeVerdict[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const requests = tightest(verdicts, 'requests');
  if (requests) {
    headers['x-ratelimit-limit-requests'] = String(requests.limit);
    headers['x-ratelimit-remaining-requests'] = String(requests.remaining);
    headers['x-ratelimit-reset-requests'] = formatResetDuration(requests.resetMs);
  }
  const tokens = tightest(verdicts, 'tokens');
  if (tokens) {
    headers['x-ratelimit-limit-tokens'] = String(tokens.limit);
    headers['x-ratelimit-remaining-tokens'] = String(tokens.remaining);
    headers['x-ratelimit-reset-tokens'] = formatResetDuration(tokens.resetMs);
  }
  return headers;
}
