import { assembleDocument } from './assemble-document.js';
import type { DraftBlock, ParsedDocument } from './types.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const TABLE_SEPARATOR = /^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$/;

/**
 * A small line-based Markdown reader: ATX headings, fenced code, list items (with indented
 * continuation lines), pipe tables and paragraphs. Limits: setext headings, block quotes and
 * HTML blocks are read as paragraphs; inline markup (`*em*`, links) is kept verbatim, which is
 * harmless for retrieval and keeps offsets simple.
 */
export function parseMarkdown(source: string): ParsedDocument {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const drafts: DraftBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      i++; // the closing fence (or end of input for an unclosed one)
      drafts.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      drafts.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]!)) {
      const rows = [line.trim()];
      i += 2;
      while (i < lines.length && lines[i]!.includes('|') && lines[i]!.trim() !== '') rows.push(lines[i++]!.trim());
      drafts.push({ kind: 'table', text: rows.join('\n') });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const parts = [item[1]!];
      i++;
      while (i < lines.length && /^[ \t]+\S/.test(lines[i]!) && !LIST_ITEM.test(lines[i]!)) parts.push(lines[i++]!.trim());
      drafts.push({ kind: 'list_item', text: parts.join('\n') });
      continue;
    }
    const para = [line];
    i++;
    while (i < lines.length && startsParagraphContinuation(lines, i)) para.push(lines[i++]!);
    drafts.push({ kind: 'paragraph', text: para.join('\n') });
  }
  return assembleDocument('markdown', drafts);
}

function startsParagraphContinuation(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (line.trim() === '') return false;
  if (FENCE.test(line) || ATX_HEADING.test(line) || LIST_ITEM.test(line)) return false;
  return !(line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]!));
}
