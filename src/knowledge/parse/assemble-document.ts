import type { Block, DocumentFormat, DraftBlock, ParsedDocument } from './types.js';

/** Blocks are joined with a blank line so `doc.text` reads naturally and paragraph breaks survive. */
export const BLOCK_SEPARATOR = '\n\n';

/**
 * Places draft blocks into one text and records each block's offsets. Empty blocks are dropped
 * here, once, so parsers need not filter them. Without an explicit title the first heading is
 * used, unless `inferTitle` is false (JSON headings are key paths, not titles).
 */
export function assembleDocument(
  format: DocumentFormat,
  drafts: DraftBlock[],
  title?: string,
  inferTitle = true,
): ParsedDocument {
  const blocks: Block[] = [];
  let text = '';
  for (const draft of drafts) {
    const body = draft.text.trim();
    if (body === '') continue;
    if (blocks.length > 0) text += BLOCK_SEPARATOR;
    const start = text.length;
    text += body;
    blocks.push({ ...draft, text: body, start, end: text.length });
  }
  const firstHeading = !inferTitle ? undefined : blocks.find((b) => b.kind === 'heading')?.text;
  const resolvedTitle = title ?? firstHeading;
  return resolvedTitle === undefined ? { format, text, blocks } : { format, title: resolvedTitle, text, blocks };
}
