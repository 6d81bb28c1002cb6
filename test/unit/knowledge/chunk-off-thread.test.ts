import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkOnThisThread, createOffThreadChunker } from '../../../src/knowledge/ingest/chunk-off-thread.js';
import { BaimoError } from '../../../src/protocol/errors.js';

/** Parsing and chunking on the worker thread gives exactly what the calling thread would. */
describe('off-thread chunker', () => {
  const chunker = createOffThreadChunker();
  afterAll(() => chunker.close());
  const chunking = { maxTokens: 120, overlapTokens: 20, source: 'sample' };

  it('runs on a worker (npm test builds the worker first)', () => {
    expect(chunker.mode).toBe('worker');
  });

  it.each(['sample.pdf', 'sample.docx', 'sample.md', 'sample.html', 'sample.csv'])('chunks %s exactly as on this thread', async (name) => {
    const input = { bytes: readFileSync(`test/fixtures/knowledge/${name}`), filename: name };
    const [off, on] = await Promise.all([chunker.chunk(input, chunking), chunkOnThisThread(input, chunking)]);
    expect(off.chunks.length).toBeGreaterThan(0);
    expect(off).toEqual(on);
  });

  it('sends parse failures back as the same typed errors, and keeps working after them', async () => {
    const broken = chunker.chunk({ bytes: Buffer.from('%PDF-1.7 not really'), filename: 'broken.pdf' }, chunking);
    await expect(broken).rejects.toSatisfy((e: unknown) => BaimoError.is(e) && e.code === 'document_parse_failed' && e.status === 400);
    const unsupported = chunker.chunk({ bytes: Buffer.from([0, 1, 2, 0]), filename: 'x.bin' }, chunking);
    await expect(unsupported).rejects.toSatisfy((e: unknown) => BaimoError.is(e) && e.code === 'unsupported_document');
    const ok = await chunker.chunk({ bytes: Buffer.from('# 标题\n\n正文内容。'), filename: 'ok.md' }, chunking);
    expect(ok.chunks[0]!.headingPath).toEqual(['标题']);
  });
});
