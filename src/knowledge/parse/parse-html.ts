import { assembleDocument } from './assemble-document.js';
import { decodeEntities } from './decode-entities.js';
import type { BlockKind, DraftBlock, ParsedDocument } from './types.js';

// Elements whose content is never document text.
const SKIPPED = /<(script|style|noscript|template|svg|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const TOKEN = /<!--[\s\S]*?-->|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+|</g;
// Tags that end the current run of text; everything else (span, a, em, b…) is inline.
const BREAKING = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'blockquote',
  'br', 'hr', 'ul', 'ol', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'form', 'body', 'html',
]);

interface Context {
  kind: BlockKind;
  level?: number;
}

/**
 * A tokenizer for the tags that carry structure (h1–h6, p, li, table/tr/td/th, pre and the
 * usual block containers), not a full HTML5 parser. Limits: no implied end tags beyond the
 * ones below (an unclosed `<p>` ends at the next block tag), no CDATA, nested tables are
 * flattened into the outer one, and only common named entities are decoded. That is enough
 * for uploaded pages and for mammoth's DOCX output, which is well-formed.
 */
export function htmlToBlocks(html: string): { title?: string; blocks: DraftBlock[] } {
  const titleMatch = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const title = titleMatch ? collapse(decodeEntities(titleMatch[1]!)) : '';
  const body = html.replace(SKIPPED, ' ');
  const blocks: DraftBlock[] = [];
  const stack: Context[] = [{ kind: 'paragraph' }];
  let buffer = '';
  let pre: string | null = null; // raw text while inside <pre>
  let table: string[][] | null = null;
  let cell: string | null = null;
  let tableDepth = 0;

  const flush = () => {
    const text = collapse(buffer);
    buffer = '';
    if (text === '') return;
    const ctx = stack[stack.length - 1]!;
    blocks.push(ctx.level === undefined ? { kind: ctx.kind, text } : { kind: ctx.kind, level: ctx.level, text });
  };
  const endCell = () => {
    if (table && cell !== null) table[table.length - 1]?.push(collapse(cell));
    cell = null;
  };

  for (const match of body.matchAll(TOKEN)) {
    const [token, closing, rawName] = match;
    if (rawName === undefined) {
      if (token.startsWith('<!') || token.startsWith('<?')) continue;
      const text = decodeEntities(token);
      if (pre !== null) pre += text;
      else if (cell !== null) cell += text;
      else if (table === null) buffer += text;
      continue;
    }
    const name = rawName.toLowerCase();
    const isClose = closing === '/';
    if (pre !== null) {
      if (name === 'pre' && isClose) {
        blocks.push({ kind: 'code', text: pre.replace(/^\n/, '').replace(/\s+$/, '') });
        pre = null;
      } else if (name === 'br') pre += '\n';
      continue;
    }
    if (name === 'pre' && !isClose) {
      flush();
      pre = '';
    } else if (name === 'table') {
      if (!isClose) {
        if (tableDepth++ === 0) {
          flush();
          table = [];
        }
      } else if (tableDepth > 0 && --tableDepth === 0 && table) {
        endCell();
        const rows = table.filter((r) => r.some((c) => c !== ''));
        blocks.push({ kind: 'table', text: rows.map((r) => r.join(' | ')).join('\n') });
        table = null;
      }
    } else if (table !== null) {
      if (name === 'tr' && !isClose) {
        endCell();
        table.push([]);
      } else if ((name === 'td' || name === 'th') && !isClose) {
        endCell();
        if (table.length === 0) table.push([]);
        cell = '';
      } else if (name === 'td' || name === 'th' || name === 'tr') endCell();
      else if (cell !== null && BREAKING.has(name)) cell += ' ';
    } else if (/^h[1-6]$/.test(name)) {
      flush();
      if (isClose) popTo(stack, 'heading');
      else stack.push({ kind: 'heading', level: Number(name[1]) });
    } else if (name === 'li') {
      flush();
      if (isClose) popTo(stack, 'list_item');
      else stack.push({ kind: 'list_item' });
    } else if (BREAKING.has(name)) {
      flush();
      if (name === 'ul' || name === 'ol' || name === 'dl') {
        if (isClose) popTo(stack, 'list_item'); // an unclosed <li> ends with its list
      }
    }
  }
  if (pre !== null) blocks.push({ kind: 'code', text: pre });
  flush();
  return title === '' ? { blocks } : { title, blocks };
}

export function parseHtml(html: string): ParsedDocument {
  const { title, blocks } = htmlToBlocks(html);
  return assembleDocument('html', blocks, title);
}

function popTo(stack: Context[], kind: BlockKind): void {
  const at = stack.map((c) => c.kind).lastIndexOf(kind);
  if (at > 0) stack.length = at;
}

function collapse(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}
