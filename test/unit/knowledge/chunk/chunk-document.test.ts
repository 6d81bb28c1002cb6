import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkDocument, countTokens, type Chunk } from '../../../../src/knowledge/chunk/index.js';
import { parseDocument, type ParsedDocument } from '../../../../src/knowledge/parse/index.js';
import { BaimoError } from '../../../../src/protocol/errors.js';

const md = (text: string) => parseDocument({ bytes: Buffer.from(text), filename: 'doc.md' });
const opts = (maxTokens: number, overlapTokens = 0) => ({ maxTokens, overlapTokens, source: 'doc.md' });

function expectWellFormed(doc: ParsedDocument, chunks: Chunk[], maxTokens: number): void {
  for (const c of chunks) {
    expect(c.text).toBe(doc.text.slice(c.start, c.end));
    expect(c.tokens).toBe(countTokens(c.text));
    expect(c.tokens).toBeLessThanOrEqual(maxTokens);
    expect(c.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(c.source).toBe('doc.md');
  }
}

describe('chunkDocument', () => {
  it('packs whole blocks and starts a chunk at every heading, with heading paths', async () => {
    const doc = await md('# Guide\n\nIntro text.\n\n## Install\n\nStep one.\n\nStep two.\n\n### Linux\n\nUse apt.\n\n## Limits\n\nSixty per minute.');
    const chunks = chunkDocument(doc, opts(200));
    expect(chunks.map((c) => [c.text, c.headingPath])).toEqual([
      ['Guide\n\nIntro text.', ['Guide']],
      ['Install\n\nStep one.\n\nStep two.', ['Guide', 'Install']],
      ['Linux\n\nUse apt.', ['Guide', 'Install', 'Linux']],
      ['Limits\n\nSixty per minute.', ['Guide', 'Limits']],
    ]);
    expectWellFormed(doc, chunks, 200);
  });

  it('keeps headings directly under one another in one chunk with the deepest path', async () => {
    const doc = await md('# 密钥\n\n## Rotate\n\nRotate keys every quarter.\n\n## Revoke\n\nRevoked keys stop at once.');
    const chunks = chunkDocument(doc, opts(200));
    expect(chunks.map((c) => [c.text, c.headingPath])).toEqual([
      ['密钥\n\nRotate\n\nRotate keys every quarter.', ['密钥', 'Rotate']],
      ['Revoke\n\nRevoked keys stop at once.', ['密钥', 'Revoke']],
    ]);
    expectWellFormed(doc, chunks, 200);
  });

  it('moves a block that does not fit into the next chunk instead of cutting it', async () => {
    const para = (n: number) => Array.from({ length: 10 }, (_, i) => `w${n}x${i}`).join(' ');
    const doc = await md([para(1), para(2), para(3)].join('\n\n')); // 13 tokens each
    const chunks = chunkDocument(doc, opts(30));
    expect(chunks.map((c) => c.text)).toEqual([`${para(1)}\n\n${para(2)}`, para(3)]);
  });

  it('never cuts a table inside a row', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `| model-${i} | ${i * 10} | local backend |`);
    const doc = await md(`## Table\n\n| Model | RPM | Where |\n|---|---|---|\n${rows.join('\n')}`);
    const chunks = chunkDocument(doc, opts(60));
    expect(chunks.length).toBeGreaterThan(2);
    const tableLines = new Set(doc.blocks[1]!.text.split('\n'));
    for (const c of chunks.slice(1)) {
      for (const line of c.text.split('\n')) expect(tableLines.has(line)).toBe(true);
    }
    for (const c of chunks) expect(c.headingPath).toEqual(['Table']);
    expectWellFormed(doc, chunks, 60);
  });

  it('cuts an over-long Chinese paragraph at sentence ends', async () => {
    const sentences = ['多租户大模型网关负责把请求路由到本地推理后端。', '限流按租户和密钥分别计算！', '检索增强生成需要切分文档吗？', '需要，而且要按句子切分。'];
    const doc = await md(sentences.join(''));
    const chunks = chunkDocument(doc, opts(30));
    expect(chunks.map((c) => c.text)).toEqual([sentences[0], sentences[1]! + sentences[2]!, sentences[3]]);
    expectWellFormed(doc, chunks, 30);
  });

  it('cuts by tokens only when one sentence exceeds the chunk', async () => {
    const doc = await md(Array.from({ length: 25 }, (_, i) => String.fromCharCode(0x4e00 + i)).join(''));
    const chunks = chunkDocument(doc, opts(10));
    expect(chunks.map((c) => c.tokens)).toEqual([10, 10, 5]);
  });

  it('carries the last sentences into the next chunk, within overlapTokens', async () => {
    const s = (n: number) => `Sentence number ${n} is here.`; // 4 words + '.' + number = 8 tokens
    const doc = await md(Array.from({ length: 8 }, (_, i) => s(i)).join(' '));
    const chunks = chunkDocument(doc, opts(30, 10));
    expectWellFormed(doc, chunks, 30);
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      const [prev, next] = [chunks[i - 1]!, chunks[i]!];
      expect(next.start).toBeLessThan(prev.end); // overlap present
      expect(next.start).toBeGreaterThan(prev.start); // progress
      expect(countTokens(doc.text.slice(next.start, prev.end))).toBeLessThanOrEqual(10); // bounded
      expect(next.text.startsWith('Sentence number')).toBe(true); // whole sentences only
    }
    // Together the chunks cover the whole document.
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(doc.text.length);
  });

  it('does not carry overlap across a heading', async () => {
    const doc = await md('# A\n\nFirst section text.\n\n# B\n\nSecond section text.');
    const chunks = chunkDocument(doc, opts(50, 20));
    expect(chunks.map((c) => c.text)).toEqual(['A\n\nFirst section text.', 'B\n\nSecond section text.']);
  });

  it('removes chunks whose normalised text repeats', async () => {
    const doc = await md('# Notice\n\nAll rights reserved.\n\n# Notice\n\nAll  rights reserved.\n\n# Other\n\nText.');
    const chunks = chunkDocument(doc, opts(50));
    expect(chunks.map((c) => c.text)).toEqual(['Notice\n\nAll rights reserved.', 'Other\n\nText.']);
  });

  it('keeps pdf page numbers on chunks', async () => {
    const bytes = readFileSync(new URL('../../../fixtures/knowledge/sample.pdf', import.meta.url));
    const doc = await parseDocument({ bytes, filename: 'sample.pdf' });
    const chunks = chunkDocument(doc, { maxTokens: 12, overlapTokens: 0, source: 'doc.md' });
    expect(chunks.map((c) => [c.page, c.text])).toEqual([
      [1, 'Baimo knowledge base test page one.'],
      [2, '多租户大模型网关负责把请求路由到本地推理后端。'.slice(0, 12)],
      [2, '多租户大模型网关负责把请求路由到本地推理后端。'.slice(12)],
    ]);
  });

  it('rejects options that cannot produce chunks with a typed 400', async () => {
    const doc = await md('text');
    for (const bad of [opts(0), opts(100, 100), opts(100, -1), opts(10.5)]) {
      let caught: unknown;
      try {
        chunkDocument(doc, bad);
      } catch (e) {
        caught = e;
      }
      expect(BaimoError.is(caught) && caught.status === 400).toBe(true);
    }
  });
});
