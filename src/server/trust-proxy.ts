/**
 * `BAIMO_TRUST_PROXY`: whether the client address comes from `X-Forwarded-For` (and the protocol
 * from `X-Forwarded-Proto`). Behind a load balancer every request's socket peer is the balancer,
 * so per-address limits (the console sign-in throttle) would lump all users together; believing
 * the header from anyone else would let a caller pick its own address. Hence off by default, and
 * when on, as narrow as the operator can say it:
 *   - a list of the proxies' addresses or CIDRs (`10.0.0.0/8,127.0.0.1`, or
 *     `loopback`/`linklocal`/`uniquelocal`): the client address is
 *     the last X-Forwarded-For entry not added by one of them;
 *   - or `true` (trust every hop: only when the server is reachable through the proxy alone).
 * No hop counts: Fastify refuses them (a hop count cannot tell a proxy from a direct client).
 */
export type TrustProxy = boolean | string;

export function trustProxySetting(env: Record<string, string | undefined>): TrustProxy {
  const raw = env.BAIMO_TRUST_PROXY?.trim();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  // IPv4 or IPv6 (with an optional prefix length), or proxy-addr's names for private ranges.
  const address = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const bad = entries.find((entry) => !address.test(entry) && !named.has(entry));
  if (bad !== undefined || entries.length === 0) {
    throw new Error(`BAIMO_TRUST_PROXY must be true or a comma-separated list of the proxies' addresses/CIDRs; '${bad ?? raw}' is none of these.`);
  }
  return entries.join(',');
}
