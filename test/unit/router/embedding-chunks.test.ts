import { describe, expect, it } from 'vitest';
import type { EmbeddingsRequest, EmbeddingsResponse } from '../../../src/protocol/chat.js';
import { joinEmbeddings, mapInOrder, splitEmbeddingsRequest } from '../../../src/router/embedding-chunks.js';

const req = (input: EmbeddingsRequest['input']): EmbeddingsRequest => ({ model: 'm', input, dimensions: 256, extra: { input_type: 'q' } });
const answer = (vectors: number[][], tokens: number, model = 'm'): EmbeddingsResponse => ({
  object: 'list',
  data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
  model,
  usage: { prompt_tokens: tokens, total_tokens: tokens },
});

describe('embeddings chunking (EmbeddingsCodec.maxInputs)', () => {
  it('keeps a request whole when there is no cap, it fits, or it is one input', () => {
    const list = req(['a', 'b', 'c']);
    expect(splitEmbeddingsRequest(list, undefined)).toEqual([list]);
    expect(splitEmbeddingsRequest(list, 3)).toEqual([list]);
    expect(splitEmbeddingsRequest(req('a'), 1)).toEqual([req('a')]);
    expect(splitEmbeddingsRequest(req([1, 2, 3]), 1)).toEqual([req([1, 2, 3])]);
  });

  it('splits a list in order into chunks of at most the cap, keeping every other field', () => {
    expect(splitEmbeddingsRequest(req(['a', 'b', 'c']), 1)).toEqual([req(['a']), req(['b']), req(['c'])]);
    expect(splitEmbeddingsRequest(req([[1], [2], [3]]), 2)).toEqual([req([[1], [2]]), req([[3]])]);
  });

  it('joins answers with indexes counted across chunks and usage summed', () => {
    const chunks = splitEmbeddingsRequest(req(['a', 'b', 'c']), 2);
    const joined = joinEmbeddings(chunks, [answer([[1], [2]], 4), answer([[3]], 5)]);
    expect(joined).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [1] },
        { object: 'embedding', index: 1, embedding: [2] },
        { object: 'embedding', index: 2, embedding: [3] },
      ],
      model: 'm',
      usage: { prompt_tokens: 9, total_tokens: 9 },
    });
  });

  it('returns a single answer as it came', () => {
    const only = answer([[1]], 2, 'x');
    expect(joinEmbeddings([req('a')], [only])).toBe(only);
  });

  it('runs chunks a few at a time, answers in input order whatever order they finish in; the first failure rejects', async () => {
    let pending = 0;
    let most = 0;
    const delays = [30, 5, 20, 1, 10, 2, 8];
    const results = await mapInOrder(delays, 3, async (ms) => {
      most = Math.max(most, ++pending);
      await new Promise((resolve) => setTimeout(resolve, ms));
      pending--;
      return ms * 2;
    });
    expect(results).toEqual(delays.map((ms) => ms * 2));
    expect(most).toBe(3);
    await expect(mapInOrder([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error('chunk 2')) : n))).rejects.toThrow('chunk 2');
  });
});
