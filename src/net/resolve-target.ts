import { isForbiddenAddress, isMetadataAddress } from './forbidden-address.js';
import { parseIPv4, parseIPv6 } from './parse-ip.js';
import { fetchFailed } from './fetch-errors.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** DNS resolution, injected so tests (and the composition root) decide what a name resolves to. */
export type LookupFn = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export interface AddressPolicy {
  /** Allow non-public addresses for every host (single-box installs fetching from the LAN). */
  allowPrivate?: boolean;
  /** Hostnames (as `new URL` normalises them) allowed to be non-public; nothing else is. */
  allowedHosts?: readonly string[];
}

export type ResolveOutcome = { ok: true; target: ResolvedAddress } | { ok: false };

/**
 * Resolves a normalised URL hostname to the one address we will connect to, or refuses.
 * Every resolved address must pass, not just the first: a resolver may rotate, and the
 * socket must never get a choice we did not check. Metadata endpoints are refused even when
 * private addresses are allowed, since they hand out credentials.
 */
export async function resolveTarget(hostname: string, lookup: LookupFn, policy: AddressPolicy): Promise<ResolveOutcome> {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  let addresses: readonly { address: string; family: number }[];
  if (parseIPv4(bare) !== null) addresses = [{ address: bare, family: 4 }];
  else if (parseIPv6(bare) !== null) addresses = [{ address: bare, family: 6 }];
  else {
    try {
      addresses = await lookup(bare);
    } catch (err) {
      throw fetchFailed('the host name could not be resolved', err);
    }
    if (addresses.length === 0) throw fetchFailed('the host name could not be resolved');
  }
  const privateOk = policy.allowPrivate === true || (policy.allowedHosts ?? []).includes(bare.toLowerCase());
  for (const { address } of addresses) {
    if (isMetadataAddress(address)) return { ok: false };
    if (!privateOk && isForbiddenAddress(address)) return { ok: false };
    if (parseIPv4(address) === null && parseIPv6(address) === null) return { ok: false };
  }
  const first = addresses[0]!;
  return { ok: true, target: { address: first.address, family: parseIPv4(first.address) !== null ? 4 : 6 } };
}
