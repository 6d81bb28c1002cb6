import type { Lang } from './i18n/i18n';

/** Numbers, money, durations and times in the chosen language's conventions. */

export const fmtNumber = (lang: Lang, n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined ? '—' : new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(n);

export function fmtCost(lang: Lang, n: number | null | undefined, currency = 'USD'): string {
  if (n === null || n === undefined) return '—';
  const digits = n !== 0 && Math.abs(n) < 0.01 ? 6 : 4;
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: digits }).format(n);
  } catch {
    return `${fmtNumber(lang, n, digits)} ${currency}`;
  }
}

export const fmtMs = (lang: Lang, ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : `${fmtNumber(lang, ms, ms < 10 ? 1 : 0)} ms`);

export const fmtPercent = (lang: Lang, ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio) ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }).format(ratio);

export const fmtDateTime = (lang: Lang, iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'medium' }) : '—';

/** A size in bytes, in B, kB or MB (decimal units). */
export function fmtBytes(lang: Lang, n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1000) return `${fmtNumber(lang, n)} B`;
  if (n < 1_000_000) return `${fmtNumber(lang, n / 1000, 1)} kB`;
  return `${fmtNumber(lang, n / 1_000_000, 1)} MB`;
}
