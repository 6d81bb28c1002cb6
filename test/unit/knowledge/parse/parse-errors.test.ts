import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BaimoError } from '../../../../src/protocol/errors.js';
import { parseDocument, type DocumentInput } from '../../../../src/knowledge/parse/index.js';

const pdf = readFileSync(new URL('../../../fixtures/knowledge/sample.pdf', import.meta.url));

async function failure(input: DocumentInput): Promise<BaimoError> {
  const error: unknown = await parseDocument(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!BaimoError.is(error)) throw new Error(`expected a BaimoError, got ${String(error)}`);
  return error;
}

describe('parseDocument failures', () => {
  it('reports a truncated pdf as document_parse_failed', async () => {
    const error = await failure({ bytes: pdf.subarray(0, 400), filename: 'cut.pdf' });
    expect(error).toMatchObject({ status: 400, code: 'document_parse_failed', kind: 'validation' });
    expect(error.message).toContain("'cut.pdf'");
  });

  it('reports random bytes named .docx as document_parse_failed', async () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256));
    const error = await failure({ bytes, filename: 'random.docx' });
    expect(error).toMatchObject({ status: 400, code: 'document_parse_failed' });
    expect(error.message).toMatch(/as docx/);
  });

  it('reports invalid json as document_parse_failed', async () => {
    const error = await failure({ bytes: Buffer.from('{"a": 1,'), filename: 'bad.json' });
    expect(error).toMatchObject({ status: 400, code: 'document_parse_failed' });
  });

  it('reports invalid UTF-8 in a text format as document_parse_failed', async () => {
    const error = await failure({ bytes: Buffer.from([0x61, 0xc3, 0x28, 0x62]), filename: 'a.md' });
    expect(error.code).toBe('document_parse_failed');
  });

  it('reports unrecognisable binary input as unsupported_document', async () => {
    const error = await failure({ bytes: Buffer.from([0, 1, 2, 3, 0, 255]), filename: 'blob.bin' });
    expect(error).toMatchObject({ status: 400, code: 'unsupported_document' });
  });

  it('reports a zip that is not a docx as unsupported_document', async () => {
    const error = await failure({ bytes: Buffer.from('PK\x03\x04 some other archive', 'latin1') });
    expect(error.code).toBe('unsupported_document');
  });
});
