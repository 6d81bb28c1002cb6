import { describe, expect, it } from 'vitest';
import { AnthropicEventEncoder } from '../../../../src/protocol/anthropic/stream-encoder.js';
import { upstreamError } from '../../../../src/protocol/errors.js';
import type { StreamEvent } from '../../../../src/protocol/stream-events.js';
import { checkEventOrder, parseSse } from '../../../support/anthropic-events.js';

/** Canonical events → Anthropic SSE, checked against the event grammar of CATALOG.md §3. */
function encode(events: StreamEvent[], opts: { end?: boolean } = {}) {
  const encoder = new AnthropicEventEncoder('public-model', 'msg_1');
  let text = events.map((e) => encoder.encode(e)).join('');
  if (opts.end !== false) text += encoder.end();
  return parseSse(text);
}

const start: StreamEvent = { type: 'start', id: 'chatcmpl-1', created: 1, model: 'upstream' };
const delta = (fields: Omit<Extract<StreamEvent, { type: 'delta' }>, 'type' | 'index'>): StreamEvent => ({ type: 'delta', index: 0, ...fields });
const usage: StreamEvent = { type: 'usage', usage: { prompt_tokens: 25, completion_tokens: 15, total_tokens: 40, prompt_tokens_details: { cached_tokens: 5 } } };

describe('AnthropicEventEncoder', () => {
  it('text: message_start, ping, one text block, message_delta with usage, message_stop', () => {
    const events = encode([start, delta({ role: 'assistant' }), delta({ content: 'Hello' }), delta({ content: ', world' }), { type: 'finish', index: 0, reason: 'stop' }, usage]);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(checkEventOrder(events)).toEqual({ blocks: ['text'], ended: 'message_stop' });
    expect(events[0]!.data.message).toMatchObject({ id: 'msg_1', model: 'public-model', role: 'assistant', content: [], stop_reason: null });
    expect(events[2]!.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(events[4]!.data.delta).toEqual({ type: 'text_delta', text: ', world' });
    expect(events[6]!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 20, output_tokens: 15, cache_creation_input_tokens: 0, cache_read_input_tokens: 5 },
    });
  });

  it('usage before finish (Gemini order) still lands in message_delta', () => {
    const events = encode([start, delta({ content: 'x' }), usage, { type: 'finish', index: 0, reason: 'length' }]);
    expect(events.at(-2)!.data).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 15 } });
  });

  it('tools: text, then one tool_use block per call with input_json_delta fragments', () => {
    const events = encode([
      start,
      delta({ content: 'Checking both.' }),
      delta({ tool_calls: [{ index: 0, id: 'call_1', name: 'get_weather', arguments: '' }] }),
      delta({ tool_calls: [{ index: 0, arguments: '{"city":' }] }),
      delta({ tool_calls: [{ index: 0, arguments: '"Paris"}' }] }),
      delta({ tool_calls: [{ index: 1, id: 'call_2', name: 'get_weather', arguments: '{"city":"Tokyo"}' }] }),
      { type: 'finish', index: 0, reason: 'tool_calls' },
    ]);
    expect(checkEventOrder(events).blocks).toEqual(['text', 'tool_use', 'tool_use']);
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data);
    expect(starts[1]).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} } });
    expect(starts[2]).toMatchObject({ index: 2, content_block: { id: 'call_2' } });
    const fragments = events.filter((e) => e.data.delta?.type === 'input_json_delta').map((e) => [e.data.index, e.data.delta.partial_json]);
    expect(fragments).toEqual([[1, '{"city":'], [1, '"Paris"}'], [2, '{"city":"Tokyo"}']]);
    expect(events.at(-2)!.data.delta.stop_reason).toBe('tool_use');
  });

  it('Gemini-style whole calls without ids get generated tool_use ids', () => {
    const events = encode([start, delta({ tool_calls: [{ index: 0, name: 'f', arguments: '{}' }] }), { type: 'finish', index: 0, reason: 'tool_calls' }]);
    expect(events.find((e) => e.event === 'content_block_start')!.data.content_block).toEqual({ type: 'tool_use', id: 'toolu_msg_1_0', name: 'f', input: {} });
  });

  it('thinking: a thinking block with thinking_delta before the text block', () => {
    const events = encode([start, delta({ reasoning: 'Let me think.' }), delta({ reasoning: ' Done.' }), delta({ content: '42' }), { type: 'finish', index: 0, reason: 'stop' }, usage]);
    expect(checkEventOrder(events).blocks).toEqual(['thinking', 'text']);
    expect(events[2]!.data.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(events.filter((e) => e.data.delta?.type === 'thinking_delta').map((e) => e.data.delta.thinking)).toEqual(['Let me think.', ' Done.']);
  });

  it('an error event ends the stream with an Anthropic error frame and nothing after it', () => {
    const encoder = new AnthropicEventEncoder('p', 'msg_1');
    const overloaded = upstreamError('The upstream is overloaded; retry later.', { status: 503, code: 'overloaded', failure: 'transient' });
    const text = [start, delta({ content: 'Partial' }), { type: 'error', error: overloaded } as StreamEvent, delta({ content: 'late' })].map((e) => encoder.encode(e)).join('') + encoder.end();
    const events = parseSse(text);
    expect(checkEventOrder(events)).toEqual({ blocks: ['text'], ended: 'error' });
    expect(events.at(-1)!.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'The upstream is overloaded; retry later.' } });
  });

  it('interleaved fragments of a closed tool call end the stream with an error', () => {
    const events = encode([
      start,
      delta({ tool_calls: [{ index: 0, id: 'a', name: 'f', arguments: '{' }] }),
      delta({ tool_calls: [{ index: 1, id: 'b', name: 'g', arguments: '{}' }] }),
      delta({ tool_calls: [{ index: 0, arguments: '}' }] }),
    ]);
    expect(checkEventOrder(events).ended).toBe('error');
    expect(events.at(-1)!.data.error.type).toBe('api_error');
  });

  it('a stream with no content still opens and closes the message', () => {
    const events = encode([start, { type: 'finish', index: 0, reason: 'stop' }]);
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    expect(checkEventOrder(events).blocks).toEqual([]);
  });
});

describe('checkEventOrder (the test oracle itself)', () => {
  const frames = (...names: [string, Record<string, unknown>?][]) => names.map(([event, data]) => ({ event, data: { type: event, ...data } }));
  it('refuses a delta outside its block, a wrong index, and a missing message_stop', () => {
    expect(() => checkEventOrder(frames(['message_start'], ['content_block_delta', { index: 0 }], ['message_delta'], ['message_stop']))).toThrow(/outside/);
    expect(() => checkEventOrder(frames(['message_start'], ['content_block_start', { index: 1, content_block: { type: 'text' } }]))).toThrow(/expected index 0/);
    expect(() => checkEventOrder(frames(['message_start'], ['message_delta']))).toThrow(/message_stop/);
  });
});
