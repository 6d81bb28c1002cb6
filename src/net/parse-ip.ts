import { isIPv4, isIPv6 } from 'node:net';

/**
 * Strict parsers for canonical IP literals. Odd spellings (`2130706433`, `0x7f.1`, `0177.0.0.1`)
 * are deliberately NOT accepted here: callers normalise hosts with `new URL` first, whose WHATWG
 * parser rewrites them to dotted quads, so a string that fails here is not an address at all.
 */

/** Dotted-quad IPv4 → unsigned 32-bit number, or null. */
export function parseIPv4(ip: string): number | null {
  if (!isIPv4(ip)) return null;
  const parts = ip.split('.').map(Number);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** IPv6 text (zone id allowed, embedded dotted IPv4 allowed) → eight 16-bit words, or null. */
export function parseIPv6(input: string): number[] | null {
  const ip = input.replace(/%.*$/, '');
  if (!isIPv6(ip)) return null;
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  const dotted = text.slice(lastColon + 1);
  if (dotted.includes('.')) {
    const v4 = parseIPv4(dotted);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const toWords = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const headWords = toWords(head!);
  const restWords = rest === undefined ? [] : toWords(rest);
  const fill = 8 - headWords.length - restWords.length;
  if (fill < 0 || (rest === undefined && fill !== 0)) return null;
  return [...headWords, ...new Array<number>(fill).fill(0), ...restWords];
}
