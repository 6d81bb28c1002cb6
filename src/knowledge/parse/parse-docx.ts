import mammoth from 'mammoth';
import { assembleDocument } from './assemble-document.js';
import { documentParseFailed } from './document-errors.js';
import { htmlToBlocks } from './parse-html.js';
import type { ParsedDocument } from './types.js';

/**
 * DOCX via mammoth's HTML conversion, which maps Word heading styles to h1–h6 and keeps tables;
 * the HTML parser then yields the blocks. mammoth's warnings (e.g. unknown styles) are not
 * failures. Limits: images, footnotes and comments are dropped.
 */
export async function parseDocx(bytes: Buffer, filename?: string): Promise<ParsedDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  } catch (cause) {
    throw documentParseFailed('docx', filename, cause);
  }
  const { blocks } = htmlToBlocks(html);
  return assembleDocument('docx', blocks);
}
