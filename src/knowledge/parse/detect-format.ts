import type { DocumentFormat, DocumentInput } from './types.js';

const BY_CONTENT_TYPE: Record<string, DocumentFormat> = {
  'text/plain': 'txt',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/csv': 'csv',
  'text/tab-separated-values': 'csv',
  'application/json': 'json',
};

const BY_EXTENSION: Record<string, DocumentFormat> = {
  txt: 'txt', text: 'txt', log: 'txt',
  md: 'markdown', markdown: 'markdown',
  html: 'html', htm: 'html', xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
  csv: 'csv', tsv: 'csv',
  json: 'json',
};

/**
 * Content type first (the uploader's claim), then the file extension, then the bytes.
 * Generic types such as `application/octet-stream` say nothing and fall through.
 * Returns undefined when nothing matches; the caller turns that into `unsupported_document`.
 */
export function detectFormat(input: DocumentInput): DocumentFormat | undefined {
  const type = input.contentType?.split(';')[0]!.trim().toLowerCase();
  if (type && BY_CONTENT_TYPE[type]) return BY_CONTENT_TYPE[type];
  const ext = input.filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext && BY_EXTENSION[ext]) return BY_EXTENSION[ext];
  return sniffFormat(input.bytes);
}

/** Magic numbers for the binary formats, then a look at the start of text. */
export function sniffFormat(bytes: Buffer): DocumentFormat | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
    // Zip entry names are stored uncompressed, so a DOCX shows its main part's name.
    return bytes.includes('word/document.xml') ? 'docx' : undefined;
  }
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return undefined; // NUL bytes: binary, not text
  const text = head.toString('utf8').replace(/^\ufeff/, '').trimStart();
  if (/^[[{]/.test(text)) return 'json';
  if (/^<(!doctype html|html|head|body)\b/i.test(text)) return 'html';
  if (/^#{1,6} \S/m.test(text) || /^```/m.test(text)) return 'markdown';
  return 'txt';
}
