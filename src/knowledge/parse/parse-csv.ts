import { assembleDocument } from './assemble-document.js';
import { readCsvRows } from './read-csv-rows.js';
import type { DraftBlock, ParsedDocument } from './types.js';

/** Rows per table block. Each block repeats the header so a retrieved chunk is readable alone. */
export const CSV_ROWS_PER_BLOCK = 20;

/**
 * CSV as table blocks: `header | …` then up to `rowsPerBlock` data rows, cells joined by ` | `
 * and rows by `\n` (the chunker never splits inside a row). Line breaks inside a quoted cell
 * become spaces so one row stays one line. Tab-separated input is detected by its first line.
 */
export function parseCsv(text: string, rowsPerBlock = CSV_ROWS_PER_BLOCK): ParsedDocument {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows = readCsvRows(text, delimiter).map((r) => r.map((c) => c.replace(/\s*[\r\n]+\s*/g, ' ').trim()).join(' | '));
  const [header, ...data] = rows;
  const drafts: DraftBlock[] = [];
  if (header !== undefined && data.length === 0) drafts.push({ kind: 'table', text: header });
  for (let i = 0; i < data.length; i += rowsPerBlock) {
    drafts.push({ kind: 'table', text: [header, ...data.slice(i, i + rowsPerBlock)].join('\n') });
  }
  return assembleDocument('csv', drafts);
}
