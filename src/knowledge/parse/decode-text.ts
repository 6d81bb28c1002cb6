import { documentParseFailed } from './document-errors.js';

/**
 * Decodes uploaded text. UTF-8 is assumed unless a UTF-16 BOM says otherwise; invalid UTF-8 is a
 * parse failure rather than silently replaced characters, because garbled text would be indexed.
 */
export function decodeText(bytes: Buffer, format: string, filename?: string): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    // TextDecoder strips a UTF-8 BOM by default.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw documentParseFailed(format, filename, new Error('the bytes are not valid UTF-8 or UTF-16 text', { cause }));
  }
}
