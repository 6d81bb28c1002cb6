import { describe, expect, it } from 'vitest';
import { OpenAICompletionChunkEncoder } from '../../../../src/protocol/openai/completion-chunks.js';
import { upstreamError } from '../../../../src/protocol/errors.js';

const frame = (s: string) => JSON.parse(s.replace(/^data: /, '').trim()) as Record<string, unknown>;
const text = { id: 'cmpl-1', object: 'text_completion', created: 7, model: 'Up/Model', choices: [{ index: 0, text: 'Hi', logprobs: null, finish_reason: null }], usage: null };
const usageChunk = { id: 'cmpl-1', object: 'text_completion', created: 7, model: 'Up/Model', choices: [], usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 } };

describe('OpenAICompletionChunkEncoder', () => {
  it('relays a chunk as it came, with the public model name, and no usage unless asked', () => {
    const enc = new OpenAICompletionChunkEncoder('public', false, 'cmpl-fallback', 99);
    const out = enc.encode({ type: 'chunk', chunk: text });
    expect(out.endsWith('\n\n')).toBe(true);
    expect(frame(out)).toEqual({ id: 'cmpl-1', object: 'text_completion', created: 7, model: 'public', choices: text.choices });
    // The usage-only chunk Baimo asked the upstream for is not the client's.
    expect(enc.encode({ type: 'chunk', chunk: usageChunk, usage: usageChunk.usage })).toBe('');
    expect(enc.end()).toBe('data: [DONE]\n\n');
  });

  it('with include_usage, every chunk carries usage (null until the usage chunk)', () => {
    const enc = new OpenAICompletionChunkEncoder('public', true, 'cmpl-fallback', 99);
    expect(frame(enc.encode({ type: 'chunk', chunk: { ...text, usage: undefined } })).usage).toBeNull();
    expect(frame(enc.encode({ type: 'chunk', chunk: usageChunk, usage: usageChunk.usage }))).toMatchObject({ model: 'public', choices: [], usage: usageChunk.usage });
  });

  it('fills an id, object and created the upstream left out', () => {
    const enc = new OpenAICompletionChunkEncoder('public', false, 'cmpl-fallback', 99);
    expect(frame(enc.encode({ type: 'chunk', chunk: { choices: [{ index: 0, text: 'x', finish_reason: 'stop' }] } }))).toEqual({
      id: 'cmpl-fallback',
      object: 'text_completion',
      created: 99,
      model: 'public',
      choices: [{ index: 0, text: 'x', finish_reason: 'stop' }],
    });
  });

  it('ends a failed stream with an OpenAI error event', () => {
    const enc = new OpenAICompletionChunkEncoder('public', false, 'cmpl-fallback', 99);
    const error = upstreamError('boom', { status: 502, code: 'upstream_error', failure: 'transient' });
    expect(frame(enc.encode({ type: 'error', error }))).toEqual({ error: { message: 'boom', type: 'server_error', param: null, code: 'upstream_error' } });
  });
});
