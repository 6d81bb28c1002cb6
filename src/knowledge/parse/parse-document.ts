import { BaimoError } from '../../protocol/errors.js';
import { decodeText } from './decode-text.js';
import { detectFormat } from './detect-format.js';
import { documentParseFailed, unsupportedDocument } from './document-errors.js';
import { parseCsv } from './parse-csv.js';
import { parseDocx } from './parse-docx.js';
import { parseHtml } from './parse-html.js';
import { parseJson } from './parse-json.js';
import { parseMarkdown } from './parse-markdown.js';
import { parsePdf } from './parse-pdf.js';
import { parseText } from './parse-text.js';
import type { DocumentInput, ParsedDocument } from './types.js';

/**
 * Parses one uploaded file into structural blocks. Every failure is a 400 `BaimoError`
 * (`unsupported_document` or `document_parse_failed`) so ingestion can report the file and
 * move on to the next one.
 *
 * @example
 * const doc = await parseDocument({ bytes, filename: 'guide.pdf' });
 * doc.blocks[0]; // { kind: 'paragraph', text: '…', page: 1, start: 0, end: 42 }
 */
export async function parseDocument(input: DocumentInput): Promise<ParsedDocument> {
  const format = detectFormat(input);
  const name = input.filename ? `'${input.filename}'` : 'The document';
  if (format === undefined) {
    throw unsupportedDocument(`${name} is not a supported document (txt, md, html, pdf, docx, csv, json).`);
  }
  try {
    switch (format) {
      case 'pdf':
        return await parsePdf(input.bytes, input.filename);
      case 'docx':
        return await parseDocx(input.bytes, input.filename);
      case 'txt':
        return parseText(decodeText(input.bytes, format, input.filename));
      case 'markdown':
        return parseMarkdown(decodeText(input.bytes, format, input.filename));
      case 'html':
        return parseHtml(decodeText(input.bytes, format, input.filename));
      case 'csv':
        return parseCsv(decodeText(input.bytes, format, input.filename));
      case 'json':
        return parseJson(decodeText(input.bytes, format, input.filename), input.filename);
    }
  } catch (error) {
    // A bug in a parser on hostile input is still this document's failure, not the server's.
    if (BaimoError.is(error)) throw error;
    throw documentParseFailed(format, input.filename, error);
  }
}
