import type { LookupAddress, LookupOptions } from 'node:dns';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `net.connect` lookup that ignores the hostname and answers with an address we already
 * checked. Handing it to the socket is what makes DNS rebinding impossible: there is no second
 * resolution between the check and the connect, while TLS SNI and the Host header still carry
 * the real hostname.
 */
export function pinnedLookup(address: string, family: 4 | 6) {
  return (_hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    // Node ≥ 20 asks for `all` when autoSelectFamily is on; older callers want one address.
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
