export { isForbiddenAddress, isMetadataAddress } from './forbidden-address.js';
export { parseIPv4, parseIPv6 } from './parse-ip.js';
export { pinnedLookup } from './pinned-lookup.js';
export { resolveTarget, type AddressPolicy, type LookupFn, type ResolvedAddress } from './resolve-target.js';
export { safeFetch, type SafeFetchOptions, type SafeFetchResult } from './safe-fetch.js';
