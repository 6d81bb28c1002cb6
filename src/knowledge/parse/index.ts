export type { Block, BlockKind, DocumentFormat, DocumentInput, ParsedDocument } from './types.js';
export { parseDocument } from './parse-document.js';
export { detectFormat, sniffFormat } from './detect-format.js';
export { BLOCK_SEPARATOR } from './assemble-document.js';
export { documentParseFailed, unsupportedDocument } from './document-errors.js';
