import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../../src/knowledge/parse/index.js';

const docx = readFileSync(new URL('../../../fixtures/knowledge/sample.docx', import.meta.url));
const bytes = (s: string) => Buffer.from(s);

describe('detectFormat', () => {
  it('trusts the content type first, ignoring parameters', () => {
    expect(detectFormat({ bytes: bytes('{}'), filename: 'x.json', contentType: 'text/markdown; charset=utf-8' })).toBe('markdown');
  });

  it('falls back to the extension when the content type is generic', () => {
    expect(detectFormat({ bytes: bytes('a,b'), filename: 'Data.CSV', contentType: 'application/octet-stream' })).toBe('csv');
  });

  it('sniffs the bytes when neither says anything', () => {
    expect(detectFormat({ bytes: bytes('%PDF-1.7 …') })).toBe('pdf');
    expect(detectFormat({ bytes: docx })).toBe('docx');
    expect(detectFormat({ bytes: bytes('  [1, 2]') })).toBe('json');
    expect(detectFormat({ bytes: bytes('<!DOCTYPE html><p>x</p>') })).toBe('html');
    expect(detectFormat({ bytes: bytes('intro\n## Section\n') })).toBe('markdown');
    expect(detectFormat({ bytes: bytes('just words') })).toBe('txt');
    expect(detectFormat({ bytes: Buffer.from([0x00, 0x01]) })).toBeUndefined();
  });
});
