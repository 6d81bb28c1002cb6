import { describe, expect, it } from 'vitest';
import { isEstimated } from '../../../../src/providers/estimated-usage.js';
import type { EmbeddingsRequest } from '../../../../src/protocol/chat.js';
import { createGeminiAdapter, parseGeminiEmbeddings } from '../../../../src/providers/gemini/index.js';
import { errorJson, fixedContext, outcome, testTarget } from '../anthropic/fixture-suite.js';

const adapter = createGeminiAdapter();
const request = (input: EmbeddingsRequest['input']): EmbeddingsRequest => ({ model: 'embed', input, extra: {} });

describe('gemini embeddings', () => {
  it('sends one request for a single string and no dimensions unless asked', () => {
    const spec = adapter.embeddings!.build(request('hello'), testTarget('models/gemini-embedding-001'));
    expect(JSON.parse(spec.body!)).toEqual({ requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] } }] });
  });

  it('refuses token-id input, naming it', () => {
    try {
      adapter.embeddings!.build(request([[1, 2, 3]]), testTarget('gemini-embedding-001'));
      throw new Error('expected a refusal');
    } catch (error) {
      expect(errorJson(error)).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'input[0]' });
    }
  });

  it('estimates usage as ⌈characters / 4⌉ when given the request, and prefers reported usage', () => {
    const body = { embeddings: [{ values: [1] }, { values: [2] }] };
    const estimated = parseGeminiEmbeddings(body, fixedContext(), request(['abcde', 'fghij'])).usage;
    expect(estimated).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(isEstimated(estimated)).toBe(true);
    const reported = parseGeminiEmbeddings({ ...body, usageMetadata: { promptTokenCount: 9 } }, fixedContext(), request(['abcde', 'fghij'])).usage;
    expect(reported).toEqual({ prompt_tokens: 9, total_tokens: 9 });
    expect(isEstimated(reported)).toBe(false);
  });

  it('through the bare codec contract (no request) reports 0 tokens and no model name', () => {
    const parsed = adapter.embeddings!.parse({ embeddings: [{ values: [0.5] }] }, fixedContext());
    expect(parsed).toEqual({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5] }], model: '', usage: { prompt_tokens: 0, total_tokens: 0 } });
  });

  it('calls a vector count that does not match the inputs malformed', () => {
    expect(outcome(() => parseGeminiEmbeddings({ embeddings: [{ values: [1] }] }, fixedContext(), request(['a', 'b'])))).toMatchObject({
      error: { status: 502, code: 'upstream_malformed_response' },
    });
  });
});
