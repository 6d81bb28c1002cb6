import { describe, expect, it } from 'vitest';
import { mapFinishReason } from '../../../src/providers/openai-compatible/finish-reason.js';
import { createOpenAICompatibleAdapter, findVendor } from '../../../src/providers/openai-compatible/index.js';
import { createThinkTagSplitter, splitThinkTags } from '../../../src/providers/openai-compatible/think-tags.js';
import { normalizeUsage } from '../../../src/providers/openai-compatible/usage.js';

/** The small pure pieces behind `response.ts` and `stream.ts`. */

const ctx = { newId: (prefix: string) => `${prefix}-1`, nowSeconds: () => 42 };

describe('normalizeUsage', () => {
  it('treats missing counts as unknown, never as zero', () => {
    expect(normalizeUsage(null)).toBeUndefined();
    expect(normalizeUsage({ total_tokens: 10 })).toBeUndefined();
    expect(normalizeUsage({ prompt_tokens: 3 })).toBeUndefined();
  });

  it('computes a missing total and folds vendor spellings in', () => {
    expect(normalizeUsage({ prompt_tokens: 3, completion_tokens: 4 })).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(normalizeUsage({ input_tokens: 1, output_tokens: 2, total_tokens: 3 })).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    expect(normalizeUsage({ prompt_tokens: 5, completion_tokens: 1, prompt_cache_hit_tokens: 4 })).toMatchObject({ prompt_tokens_details: { cached_tokens: 4 } });
  });
});

describe('mapFinishReason', () => {
  it('maps vendor spellings and keeps unknown reasons verbatim', () => {
    expect(mapFinishReason('eos_token')).toBe('stop');
    expect(mapFinishReason('normal')).toBe('stop');
    expect(mapFinishReason('sensitive')).toBe('content_filter');
    expect(mapFinishReason('insufficient_system_resource')).toBe('insufficient_system_resource');
  });

  it('reads null, empty and DashScope\'s "null" string as not finished', () => {
    for (const value of [null, undefined, '', 'null', 3]) expect(mapFinishReason(value)).toBeNull();
  });
});

describe('think tags (§13)', () => {
  it('splits a leading think block and the blank lines after it', () => {
    expect(splitThinkTags('  <think>a\nb</think>\n\nanswer')).toEqual({ reasoning: 'a\nb', content: 'answer' });
  });

  it('leaves content without a leading tag alone, including a tag later in the text', () => {
    expect(splitThinkTags('use <think> tags')).toEqual({ reasoning: '', content: 'use <think> tags' });
    expect(splitThinkTags('<thinking>x')).toEqual({ reasoning: '', content: '<thinking>x' });
  });

  it('releases held text at flush: an unclosed think block is reasoning, a partial tag is content', () => {
    const open = createThinkTagSplitter();
    expect(open.push('<think>still going </thi')).toEqual({ reasoning: 'still going ', content: '' });
    expect(open.flush()).toEqual({ reasoning: '</thi', content: '' });
    const partial = createThinkTagSplitter();
    expect(partial.push('<thi')).toEqual({ reasoning: '', content: '' });
    expect(partial.flush()).toEqual({ reasoning: '', content: '<thi' });
  });
});

describe('parseChatResponse', () => {
  const openai = createOpenAICompatibleAdapter(findVendor('openai')!);

  it('fills what a minimal body leaves out and stringifies object arguments', () => {
    const parsed = openai.chat.parse(
      { choices: [{ message: { tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] }, finish_reason: 'tool_calls' }] },
      ctx,
    );
    expect(parsed).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 42,
      model: '',
      choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call-1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, finish_reason: 'tool_calls' }],
    });
  });

  it('keeps refusals, logprobs and array content', () => {
    const parsed = openai.chat.parse(
      { id: 'x', created: 1, model: 'm', choices: [{ index: 0, logprobs: { content: [] }, message: { role: 'assistant', content: [{ type: 'text', text: 'hi' }], refusal: 'no' }, finish_reason: 'stop' }] },
      ctx,
    );
    expect(parsed.choices[0]).toEqual({ index: 0, logprobs: { content: [] }, finish_reason: 'stop', message: { role: 'assistant', content: [{ type: 'text', text: 'hi' }], refusal: 'no' } });
  });
});
