import { BaimoError } from '../../protocol/errors.js';

/** The format could not be recognised (or is one we do not ingest). Callers skip the file and report it. */
export const unsupportedDocument = (message: string) =>
  new BaimoError('validation', message, { status: 400, code: 'unsupported_document' });

/** The format is known but the bytes do not decode as that format (truncated PDF, not-a-zip DOCX, bad JSON). */
export const documentParseFailed = (format: string, filename: string | undefined, cause?: unknown) => {
  const name = filename ? `'${filename}'` : 'the document';
  const reason = cause instanceof Error && cause.message ? `: ${cause.message.slice(0, 200)}` : '.';
  return new BaimoError('validation', `Could not parse ${name} as ${format}${reason}`, {
    status: 400,
    code: 'document_parse_failed',
    cause,
  });
};
