import { assembleDocument } from './assemble-document.js';
import type { DraftBlock, ParsedDocument } from './types.js';

/** Plain text: one paragraph per run of non-blank lines. Line breaks inside a paragraph are kept. */
export function parseText(text: string): ParsedDocument {
  const drafts: DraftBlock[] = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => ({ kind: 'paragraph' as const, text: p }));
  return assembleDocument('txt', drafts);
}
