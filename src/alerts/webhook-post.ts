import { lookup } from 'node:dns/promises';
import { safeFetch, type AddressPolicy } from '../net/index.js';
import type { PostJson } from './webhook.js';

/** Long enough for a chat-ops endpoint, short enough that a hung one does not hold a worker. */
export const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * Webhook URLs are tenant-supplied: POSTed only through the SSRF guard (public addresses unless
 * the operator allows private ones, DNS pinned), never redirected, the answer's body ignored.
 */
export function createWebhookPoster(policy: AddressPolicy, timeoutMs = WEBHOOK_TIMEOUT_MS): PostJson {
  return async (url, body) => {
    const res = await safeFetch(url, {
      lookup: (host) => lookup(host, { all: true }),
      method: 'POST',
      body,
      anyStatus: true,
      maxBytes: 64 * 1024,
      timeoutMs,
      maxRedirects: 0,
      allowPrivate: policy.allowPrivate,
      allowedHosts: policy.allowedHosts,
      headers: { 'content-type': 'application/json', 'user-agent': 'Baimo-Alerts/0.1' },
    });
    return res.status;
  };
}
