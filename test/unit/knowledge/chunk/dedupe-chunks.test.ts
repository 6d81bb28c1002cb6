import { describe, expect, it } from 'vitest';
import { dedupeChunks, hashChunkText } from '../../../../src/knowledge/chunk/index.js';

describe('dedupeChunks', () => {
  it('hashes normalised text: whitespace runs and full-width forms fold together', () => {
    expect(hashChunkText('Ａ  b\n c')).toBe(hashChunkText('A b c'));
    expect(hashChunkText('A b c')).not.toBe(hashChunkText('A b d'));
  });

  it('keeps the first chunk of each hash in order', () => {
    const chunks = ['x', 'y', ' x ', 'z', 'y'].map((t, i) => ({ id: i, hash: hashChunkText(t) }));
    expect(dedupeChunks(chunks).map((c) => c.id)).toEqual([0, 1, 3]);
  });
});
