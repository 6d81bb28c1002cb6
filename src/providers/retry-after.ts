import type { UpstreamFailure } from './adapter.js';

/**
 * Seconds to wait before retrying, from `retry-after-ms` or `retry-after` (CATALOG.md §1.6, §3),
 * rounded up so a client never retries early. HTTP-date values are ignored: turning them into a
 * delay needs a clock, and every provider in CATALOG.md sends seconds.
 */
export function retryAfterFromHeaders(headers: UpstreamFailure['headers']): number | undefined {
  const ms = nonNegativeNumber(headerValue(headers, 'retry-after-ms'));
  if (ms !== undefined) return Math.ceil(ms / 1000);
  const seconds = nonNegativeNumber(headerValue(headers, 'retry-after'));
  return seconds === undefined ? undefined : Math.ceil(seconds);
}

function nonNegativeNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function headerValue(headers: UpstreamFailure['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
