import { extractText, getDocumentProxy } from 'unpdf';
import { assembleDocument } from './assemble-document.js';
import { documentParseFailed } from './document-errors.js';
import type { DraftBlock, ParsedDocument } from './types.js';

const CJK_EDGE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/**
 * PDF via unpdf (pdf.js). A PDF has no paragraph structure, only positioned text; we take each
 * page's text, split it on blank lines and join wrapped lines (without a space between CJK
 * characters, where a line wrap is not a word break). Every block carries its 1-based page.
 * Limits: no heading detection, tables come out as lines of text, scanned pages yield nothing.
 */
export async function parsePdf(bytes: Buffer, filename?: string): Promise<ParsedDocument> {
  let pages: string[];
  try {
    // pdf.js takes ownership of (and may detach) the buffer it is given, so pass a copy.
    // verbosity 0: pdf.js otherwise writes recovery warnings for damaged files to the console.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      pages = (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await pdf.destroy();
    }
  } catch (cause) {
    throw documentParseFailed('pdf', filename, cause);
  }
  const drafts: DraftBlock[] = [];
  pages.forEach((pageText, index) => {
    for (const para of pageText.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
      drafts.push({ kind: 'paragraph', text: joinWrappedLines(para), page: index + 1 });
    }
  });
  return assembleDocument('pdf', drafts);
}

function joinWrappedLines(paragraph: string): string {
  const lines = paragraph.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  let out = lines[0] ?? '';
  for (const line of lines.slice(1)) {
    const cjkJoin = CJK_EDGE.test(out.slice(-1)) && CJK_EDGE.test(line[0]!);
    out += cjkJoin ? line : ' ' + line;
  }
  return out;
}
