/**
 * Sizes in config: a plain number of bytes, or a string such as `"4mb"`, `"512 KiB"`, `"1.5gb"`.
 * Units are binary (1kb = 1024 bytes), as in the `bytes` package that Express and Fastify users
 * know; `kib`/`mib`/`gib` mean the same. Returns `undefined` for anything else, so the caller can
 * report the path.
 */
const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value.trim().toLowerCase());
  if (match === null) return undefined;
  const multiplier = UNITS[match[2] ?? ''];
  if (multiplier === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * multiplier);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
