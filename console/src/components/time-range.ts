import type { MessageKey } from '../i18n/en';

/** Preset time ranges (Overview, Usage, Logs): a window ending now, with a chart bucket size. */

export type RangeId = '1h' | '24h' | '7d' | '30d';

export const RANGES: readonly { id: RangeId; label: MessageKey; ms: number; bucket: 'hour' | 'day' }[] = [
  { id: '1h', label: 'range.1h', ms: 3_600_000, bucket: 'hour' },
  { id: '24h', label: 'range.24h', ms: 86_400_000, bucket: 'hour' },
  { id: '7d', label: 'range.7d', ms: 7 * 86_400_000, bucket: 'hour' },
  { id: '30d', label: 'range.30d', ms: 30 * 86_400_000, bucket: 'day' },
];

export interface TimeWindow {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
}

/** `to` is rounded up to the next minute so that a just-finished call is inside the window. */
export function windowFor(id: RangeId, now: number): TimeWindow {
  const range = RANGES.find((r) => r.id === id) ?? RANGES[1]!;
  const to = Math.ceil((now + 1) / 60_000) * 60_000;
  return { from: new Date(to - range.ms).toISOString(), to: new Date(to).toISOString(), bucket: range.bucket };
}
