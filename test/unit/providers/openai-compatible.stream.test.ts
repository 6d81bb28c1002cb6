import { describe, expect, it } from 'vitest';
import type { DecodeContext, StreamDecoder } from '../../../src/providers/adapter.js';
import { createOpenAICompatibleAdapter, findVendor } from '../../../src/providers/openai-compatible/index.js';
import { createSseFramer } from '../../../src/providers/sse.js';
import type { StreamEvent, ToolCallDelta } from '../../../src/protocol/stream-events.js';

/** Stream edge cases (CATALOG.md §1.3, Appendix A "SSE parsing", "null fields in deltas", "final usage chunk"). */

const ctx = (): DecodeContext => {
  let next = 0;
  return { newId: (prefix) => `${prefix}-t${++next}`, nowSeconds: () => 1_700_000_000 };
};

const decoderFor = (vendorId: string): StreamDecoder =>
  createOpenAICompatibleAdapter(findVendor(vendorId)!).chat.decoder(ctx());

/** Feeds raw SSE text through the framer in the given pieces and returns every event, `end()` included. */
function run(vendorId: string, pieces: string[]): { events: StreamEvent[]; decoder: StreamDecoder } {
  const framer = createSseFramer();
  const decoder = decoderFor(vendorId);
  const events: StreamEvent[] = [];
  for (const piece of pieces) for (const message of framer.feed(piece)) events.push(...decoder.push(message));
  for (const message of framer.flush()) events.push(...decoder.push(message));
  events.push(...decoder.end());
  return { events, decoder };
}

const chunk = (choices: unknown[], more: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...more })}\n\n`;
const delta = (fields: Record<string, unknown>, finish: string | null = null, index = 0) => ({ index, delta: fields, finish_reason: finish });

const BASIC = chunk([delta({ role: 'assistant', content: '' })]) + chunk([delta({ content: 'Hello' })]) + chunk([delta({}, 'stop')]) + 'data: [DONE]\n\n';

const contentOf = (events: StreamEvent[]) =>
  events.map((event) => (event.type === 'delta' ? (event.content ?? '') : '')).join('');

describe('OpenAI-compatible stream decoder', () => {
  it('gives the same events however the bytes are split, down to one character at a time', () => {
    const whole = run('openai', [BASIC]).events;
    const byChar = run('openai', [...BASIC]).events;
    const midLine = run('openai', [BASIC.slice(0, 37), BASIC.slice(37, 90), BASIC.slice(90)]).events;
    expect(byChar).toEqual(whole);
    expect(midLine).toEqual(whole);
    expect(whole.map((event) => event.type)).toEqual(['start', 'delta', 'delta', 'finish']);
    expect(contentOf(whole)).toBe('Hello');
  });

  it('ignores keep-alive comments, blank padding and empty data lines', () => {
    const padded = ': keep-alive\n\n\n\n' + 'data: \n\n' + BASIC.replace('data: [DONE]', ': keep-alive\n\ndata: [DONE]');
    expect(run('deepseek', [padded]).events).toEqual(run('deepseek', [BASIC]).events);
  });

  it('accepts `data:` without a space (Spark §15)', () => {
    const events = run('spark', [BASIC.replaceAll('data: ', 'data:')]).events;
    expect(contentOf(events)).toBe('Hello');
    expect(events.at(-1)).toEqual({ type: 'finish', index: 0, reason: 'stop' });
  });

  it('is done after [DONE] and ignores anything that follows', () => {
    const { events, decoder } = run('openai', [BASIC + chunk([delta({ content: 'late' })])]);
    expect(decoder.done).toBe(true);
    expect(contentOf(events)).toBe('Hello');
  });

  it('ends with a truncation error when the body stops before [DONE] and before any finish', () => {
    const { events, decoder } = run('openai', [chunk([delta({ role: 'assistant', content: 'Hel' })])]);
    expect(decoder.done).toBe(false);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(last.error).toMatchObject({ status: 502, code: 'upstream_stream_truncated', failure: 'transient', retryable: true });
  });

  it('treats an empty body as truncated', () => {
    const { events } = run('openai', ['']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'upstream_stream_truncated' } });
  });

  it('accepts a stream that finished every choice but never sent [DONE]', () => {
    const { events, decoder } = run('openai', [BASIC.replace('data: [DONE]\n\n', '')]);
    expect(decoder.done).toBe(false);
    expect(events.map((event) => event.type)).toEqual(['start', 'delta', 'delta', 'finish']);
  });

  it('is truncated when one of two choices never finished', () => {
    const body = chunk([delta({ content: 'a' }), delta({ content: 'b' }, null, 1)]) + chunk([delta({}, 'stop')]);
    expect(run('openai', [body]).events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_stream_truncated' } });
  });

  it('treats null and empty delta fields as "no change"', () => {
    const body =
      chunk([delta({ role: 'assistant', content: null, reasoning_content: null, tool_calls: null })]) +
      chunk([delta({ role: null, content: null, reasoning_content: 'think', refusal: null })]) +
      chunk([delta({ content: '', reasoning_content: '' })]) +
      chunk([delta({ content: 'answer', reasoning_content: null })]) +
      chunk([delta({ content: null }, 'stop')]) +
      'data: [DONE]\n\n';
    const events = run('deepseek', [body]).events;
    expect(events.slice(1)).toEqual([
      { type: 'delta', index: 0, role: 'assistant' },
      { type: 'delta', index: 0, reasoning: 'think' },
      { type: 'delta', index: 0, content: 'answer' },
      { type: 'finish', index: 0, reason: 'stop' },
    ]);
  });

  it('never treats an empty `choices` chunk as content, and emits usage only when it is there', () => {
    const filterChunk = `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [] })}\n\n`;
    const usageChunk = chunk([], { usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
    const events = run('azure', [filterChunk + BASIC.replace('data: [DONE]', usageChunk + 'data: [DONE]')]).events;
    expect(events[0]).toEqual({ type: 'start', id: 'c1', created: 1, model: 'm' });
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
  });

  it('makes up an id and a time when the chunk has none', () => {
    const body = `data: ${JSON.stringify({ id: '', choices: [delta({ content: 'x' }, 'stop')] })}\n\ndata: [DONE]\n\n`;
    expect(run('tgi', [body]).events[0]).toEqual({ type: 'start', id: 'chatcmpl-t1', created: 1_700_000_000 });
  });

  it('reads usage from choices[i].usage only for vendors that put it there (Kimi §11)', () => {
    const body = chunk([{ ...delta({ content: 'x' }, 'stop'), usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }]) + 'data: [DONE]\n\n';
    expect(run('moonshot', [body]).events.some((event) => event.type === 'usage')).toBe(true);
    expect(run('openai', [body]).events.some((event) => event.type === 'usage')).toBe(false);
  });

  it('passes tool-call fragments through so that concatenating per index rebuilds each call', () => {
    const fragments = [
      { index: 0, id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '' } },
      { index: 0, id: null, function: { name: null, arguments: '{"q":' } },
      { index: 1, id: 'call_b', type: 'function', function: { name: 'clock', arguments: '{' } },
      { index: 0, function: { arguments: '"paris"}' } },
      { index: 1, id: '', function: { arguments: '}' } },
    ];
    const body = fragments.map((fragment) => chunk([delta({ tool_calls: [fragment] })])).join('') + chunk([delta({}, 'tool_calls')]) + 'data: [DONE]\n\n';
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    for (const event of run('openai', [body]).events) {
      if (event.type !== 'delta') continue;
      for (const part of event.tool_calls ?? ([] as ToolCallDelta[])) {
        const call = calls.get(part.index) ?? { args: '' };
        calls.set(part.index, { id: part.id ?? call.id, name: part.name ?? call.name, args: call.args + (part.arguments ?? '') });
      }
    }
    expect(Object.fromEntries(calls)).toEqual({
      0: { id: 'call_a', name: 'lookup', args: '{"q":"paris"}' },
      1: { id: 'call_b', name: 'clock', args: '{}' },
    });
  });

  it('turns an error frame into one terminal error event, mapped like a response error', () => {
    const body = chunk([delta({ content: 'Hel' })]) + `data: ${JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })}\n\n` + chunk([delta({ content: 'lo' })]);
    const { events } = run('openai', [body]);
    const errors = events.filter((event) => event.type === 'error');
    expect(errors).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status: 429, code: 'rate_limit_exceeded', failure: 'rate_limited' } });
    expect(contentOf(events)).toBe('Hel');
  });

  it('treats an `event: error` frame as an error even without an `error` key', () => {
    const body = chunk([delta({ content: 'Hel' })]) + 'event: error\ndata: {"message":"engine died","code":503}\n\n';
    expect(run('openai', [body]).events.at(-1)).toMatchObject({ type: 'error', error: { status: 503, code: 'overloaded' } });
  });

  it('closes open choices as `stop` at [DONE] when the vendor never sent a finish reason (Spark §15)', () => {
    const body = chunk([delta({ role: 'assistant', content: 'hi' })]) + 'data: [DONE]\n\n';
    expect(run('spark', [body]).events.at(-1)).toEqual({ type: 'finish', index: 0, reason: 'stop' });
  });

  it('splits MiniMax <think> tags even when a tag is cut across chunks, and releases held text at finish', () => {
    const pieces = ['<', 'think>', 'pla', 'n</', 'think', '>\n', 'Answer <', 'b>'];
    const body = pieces.map((text) => chunk([delta({ content: text })])).join('') + chunk([delta({}, 'stop')]) + 'data: [DONE]\n\n';
    const events = run('minimax', [body]).events;
    const reasoning = events.map((event) => (event.type === 'delta' ? (event.reasoning ?? '') : '')).join('');
    expect(reasoning).toBe('plan');
    expect(contentOf(events)).toBe('Answer <b>');
  });

  it('does not split think tags for vendors without inline reasoning', () => {
    const body = chunk([delta({ content: '<think>x</think>y' }, 'stop')]) + 'data: [DONE]\n\n';
    expect(contentOf(run('openai', [body]).events)).toBe('<think>x</think>y');
  });
});
