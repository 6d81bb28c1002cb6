import { parseIPv4, parseIPv6 } from './parse-ip.js';

/**
 * Which destination addresses a server-side fetch must never reach. Ranges follow the IANA
 * special-purpose registries (RFC 6890 and successors); anything not globally routable is
 * forbidden, because a tenant-supplied URL must not be able to probe our own network.
 */

type Cidr4 = readonly [base: string, bits: number];

const FORBIDDEN_V4: readonly Cidr4[] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 connects to localhost on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT: inside cloud VPCs this is often internal
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, includes the cloud metadata endpoint
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes 255.255.255.255
];

/**
 * Metadata endpoints stay forbidden even when private addresses are allowed: they hand out
 * cloud credentials. 100.100.100.200 is Alibaba Cloud's (inside CGNAT space, so it needs
 * naming here); fd00:ec2::254 is AWS's IPv6 one.
 */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2:0:0:0:0:0:254']);

const v4Ranges = FORBIDDEN_V4.map(([base, bits]) => {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return { net: (parseIPv4(base)! & mask) >>> 0, mask };
});

function forbiddenV4(n: number): boolean {
  return v4Ranges.some(({ net, mask }) => ((n & mask) >>> 0) === net);
}

const v4FromWords = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;

function forbiddenV6(w: number[]): boolean {
  const [a, b, c, d, e, f, g, h] = w as [number, number, number, number, number, number, number, number];
  const firstFiveZero = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  // ::/96 covers ::, ::1 and the deprecated IPv4-compatible form; nothing legitimate lives there.
  if (firstFiveZero && f === 0) return true;
  if (firstFiveZero && f === 0xffff) return forbiddenV4(v4FromWords(g, h)); // IPv4-mapped
  // NAT64 (RFC 6052): the gateway would translate straight to the embedded IPv4 address.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return forbiddenV4(v4FromWords(g, h));
  if (a === 0x64 && b === 0xff9b && c === 1) return true; // local-use NAT64 (RFC 8215)
  if (a === 0x2002) return forbiddenV4(v4FromWords(b, c)); // 6to4 embeds the IPv4 address
  if (a === 0x2001 && b === 0) return true; // Teredo: the tunnelled address is obfuscated, refuse
  if (a === 0x2001 && b === 0xdb8) return true; // documentation
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return true; // discard-only
  if ((a & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((a & 0xffc0) === 0xfec0) return true; // deprecated site-local
  if ((a & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/**
 * True when `ip` must not be connected to. Fails closed: a string that is not a canonical IPv4
 * or IPv6 literal is forbidden too.
 *
 * @example isForbiddenAddress('::ffff:127.0.0.1') // true
 */
export function isForbiddenAddress(ip: string): boolean {
  const v4 = parseIPv4(ip);
  if (v4 !== null) return forbiddenV4(v4);
  const v6 = parseIPv6(ip);
  if (v6 !== null) return forbiddenV6(v6);
  return true;
}

/** True for cloud metadata endpoints (also through mapped/NAT64 IPv6 spellings). */
export function isMetadataAddress(ip: string): boolean {
  if (parseIPv4(ip) !== null) return METADATA.has(ip);
  const w = parseIPv6(ip);
  if (w === null) return false;
  if (METADATA.has(w.map((x) => x.toString(16)).join(':'))) return true;
  const embedsV4 = w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff;
  const nat64 = w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0);
  if (!embedsV4 && !nat64) return false;
  const n = v4FromWords(w[6]!, w[7]!);
  return METADATA.has([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
}
