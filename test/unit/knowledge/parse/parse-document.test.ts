import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, type ParsedDocument } from '../../../../src/knowledge/parse/index.js';

const FIXTURES = new URL('../../../fixtures/knowledge/', import.meta.url);
const load = (name: string) => parseDocument({ bytes: readFileSync(new URL(name, FIXTURES)), filename: name });
const shape = (doc: ParsedDocument) => doc.blocks.map((b) => [b.kind, b.text]);

function expectConsistentOffsets(doc: ParsedDocument): void {
  for (const b of doc.blocks) expect(doc.text.slice(b.start, b.end)).toBe(b.text);
  for (let i = 1; i < doc.blocks.length; i++) expect(doc.blocks[i]!.start).toBeGreaterThan(doc.blocks[i - 1]!.end);
}

describe('parseDocument', () => {
  it('reads plain text as paragraphs split on blank lines', async () => {
    const doc = await load('sample.txt');
    expect(doc.format).toBe('txt');
    expect(shape(doc)).toEqual([
      ['paragraph', 'Baimo is a self-hosted gateway.\nIt routes requests to local backends.'],
      ['paragraph', '多租户大模型网关负责把请求路由到本地推理后端。'],
      ['paragraph', 'Third paragraph after two blank lines.'],
    ]);
    expect(doc.text).toBe(doc.blocks.map((b) => b.text).join('\n\n'));
    expectConsistentOffsets(doc);
  });

  it('reads markdown headings, list items, tables and code fences', async () => {
    const doc = await load('sample.md');
    expect(doc.format).toBe('markdown');
    expect(doc.title).toBe('Baimo Guide');
    expect(doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.level, b.text])).toEqual([
      [1, 'Baimo Guide'],
      [2, 'Install'],
      [2, 'Limits'],
      [3, 'Code'],
    ]);
    expect(doc.blocks.filter((b) => b.kind === 'list_item').map((b) => b.text)).toEqual([
      'Download the binary',
      'Run `baimo init`\nand answer the prompts',
      'Start the server',
    ]);
    expect(doc.blocks.find((b) => b.kind === 'table')?.text).toBe('| Model | RPM |\n| qwen  | 60  |\n| llama | 30  |');
    // A '#' line inside a fence is code, not a heading.
    expect(doc.blocks.find((b) => b.kind === 'code')?.text).toBe('const client = new OpenAI({ baseURL });\n# not a heading');
    expect(doc.blocks.at(-1)).toMatchObject({ kind: 'paragraph', text: '网关负责路由。限流按租户计算。' });
    expectConsistentOffsets(doc);
  });

  it('reads html structure, drops scripts, styles and comments, decodes entities', async () => {
    const doc = await load('sample.html');
    expect(doc.format).toBe('html');
    expect(doc.title).toBe('Baimo & Friends');
    expect(doc.blocks.map((b) => [b.kind, b.level, b.text])).toEqual([
      ['heading', 1, 'Overview'],
      ['paragraph', undefined, 'Baimo routes requests <fast> 你好.'],
      ['list_item', undefined, 'First item'],
      ['list_item', undefined, 'Second item'],
      ['heading', 2, 'Table'],
      ['table', undefined, 'Model | RPM\nqwen | 60'],
      ['code', undefined, 'line 1\n  line 2'],
      ['paragraph', undefined, 'Loose text in a div'],
    ]);
    expect(doc.text).not.toMatch(/not text|hidden|color/);
    expectConsistentOffsets(doc);
  });

  it('reads csv as a table with quoted commas, newlines and quotes kept in their cell', async () => {
    const doc = await load('sample.csv');
    expect(shape(doc)).toEqual([
      ['table', 'name | description | rpm\nqwen | Chinese model, large | 60\nllama | multi line | 30\nquote "x" | plain | 10'],
    ]);
    expectConsistentOffsets(doc);
  });

  it('repeats the csv header in every table block', async () => {
    const rows = Array.from({ length: 45 }, (_, i) => `m${i},${i}`).join('\n');
    const doc = await parseDocument({ bytes: Buffer.from(`model,rpm\n${rows}\n`), contentType: 'text/csv' });
    expect(doc.blocks).toHaveLength(3);
    for (const b of doc.blocks) expect(b.text.split('\n')[0]).toBe('model | rpm');
    expect(doc.blocks.map((b) => b.text.split('\n').length)).toEqual([21, 21, 6]);
  });

  it('flattens json to path lines and arrays of objects to tables', async () => {
    const doc = await load('sample.json');
    expect(doc.format).toBe('json');
    expect(doc.title).toBeUndefined();
    expect(shape(doc)).toEqual([
      ['paragraph', 'name: Baimo\nversion: 2\nlimits.rpm: 60\nlimits.enabled: true'],
      ['heading', 'models'],
      ['table', 'id | ctx | tags\nqwen | 32768 | \nllama | 8192 | ["local"]'],
      ['paragraph', 'notes: null'],
    ]);
    expectConsistentOffsets(doc);
  });

  it('reads docx headings, paragraphs and tables through mammoth', async () => {
    const doc = await load('sample.docx');
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('Deployment Guide');
    expect(doc.blocks.map((b) => [b.kind, b.level, b.text])).toEqual([
      ['heading', 1, 'Deployment Guide'],
      ['paragraph', undefined, 'Baimo routes requests to local backends. 网关负责路由。'],
      ['heading', 2, 'Limits'],
      ['table', undefined, 'Model | RPM\nqwen | 60'],
      ['paragraph', undefined, 'Rate limits apply per tenant & per key.'],
    ]);
    expectConsistentOffsets(doc);
  });

  it('reads a pdf page by page, including Chinese text', async () => {
    const doc = await load('sample.pdf');
    expect(doc.format).toBe('pdf');
    expect(doc.blocks.map((b) => [b.kind, b.page, b.text])).toEqual([
      ['paragraph', 1, 'Baimo knowledge base test page one.'],
      ['paragraph', 2, '多租户大模型网关负责把请求路由到本地推理后端。'],
    ]);
    expectConsistentOffsets(doc);
  });

  it('decodes UTF-16 text with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('你好 world', 'utf16le')]);
    const doc = await parseDocument({ bytes, filename: 'a.txt' });
    expect(doc.text).toBe('你好 world');
  });
});
