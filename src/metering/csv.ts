import { GROUP_FIELD, type UsageGroup, type UsageReport } from './usage-queries.js';

/** RFC 4180 CSV: CRLF lines, fields quoted when they hold a comma, quote or line break. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  // Spreadsheet formula injection: a text cell must not start a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}


const METRIC_COLUMNS = ['requests', 'input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens', 'cost', 'currency', 'estimated_requests', 'unpriced_requests'] as const;

/** The report's rows as CSV: group columns in the requested order, then the metrics. */
export function usageReportCsv(report: UsageReport, groupBy: readonly UsageGroup[]): string {
  const header = [...groupBy.map((g) => GROUP_FIELD[g]), ...METRIC_COLUMNS];
  const rows = report.data.map((row) => header.map((column) => (row as unknown as Record<string, unknown>)[column]));
  return toCsv(header, rows);
}
