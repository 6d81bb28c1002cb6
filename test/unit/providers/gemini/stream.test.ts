import { describe, expect, it } from 'vitest';
import type { SseMessage } from '../../../../src/providers/adapter.js';
import { createGeminiAdapter } from '../../../../src/providers/gemini/index.js';
import { eventJson, fixedContext } from '../anthropic/fixture-suite.js';

const chunk = (data: Record<string, unknown>): SseMessage => ({ data: JSON.stringify(data) });
const text = (index: number, value: string, finishReason?: string) => ({ index, content: { role: 'model', parts: [{ text: value }] }, ...(finishReason ? { finishReason } : {}) });

function decoder() {
  return createGeminiAdapter().chat.decoder(fixedContext());
}

describe('gemini stream decoder state', () => {
  it('is done at the finishReason chunk, and still reads a trailing usage-only chunk for end()', () => {
    const d = decoder();
    d.push(chunk({ candidates: [text(0, 'Hi')], usageMetadata: { promptTokenCount: 5 } }));
    expect(d.done).toBe(false);
    d.push(chunk({ candidates: [text(0, '!', 'STOP')], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2 } }));
    expect(d.done).toBe(true);
    expect(d.push(chunk({ candidates: [text(0, 'ignored')], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3 } }))).toEqual([]);
    expect(d.end().map(eventJson)).toEqual([{ type: 'usage', usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }]);
  });

  it('waits for every candidate to finish when several stream (n > 1)', () => {
    const d = decoder();
    const first = d.push(chunk({ responseId: 'r', candidates: [text(0, 'A'), text(1, 'B')] }));
    const second = d.push(chunk({ candidates: [text(0, '.', 'STOP')] }));
    expect(d.done).toBe(false);
    const third = d.push(chunk({ candidates: [text(1, '!', 'MAX_TOKENS')] }));
    expect(d.done).toBe(true);
    expect([...first, ...second, ...third].map(eventJson)).toEqual([
      { type: 'start', id: 'r', created: 1_760_000_000 },
      { type: 'delta', index: 0, role: 'assistant' },
      { type: 'delta', index: 0, content: 'A' },
      { type: 'delta', index: 1, role: 'assistant' },
      { type: 'delta', index: 1, content: 'B' },
      { type: 'delta', index: 0, content: '.' },
      { type: 'finish', index: 0, reason: 'stop' },
      { type: 'delta', index: 1, content: '!' },
      { type: 'finish', index: 1, reason: 'length' },
    ]);
    expect(d.end()).toEqual([]);
  });

  it('synthesises the response id when Gemini sends none, and call ids in order', () => {
    const events = decoder().push(
      chunk({ candidates: [{ index: 0, content: { parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP' }] }),
    );
    expect(events.map(eventJson)).toEqual([
      { type: 'start', id: 'chatcmpl_1', created: 1_760_000_000 },
      { type: 'delta', index: 0, role: 'assistant' },
      { type: 'delta', index: 0, tool_calls: [{ index: 0, id: 'call_2', name: 'f', arguments: '{"a":1}' }] },
      { type: 'finish', index: 0, reason: 'tool_calls' },
    ]);
  });

  it('turns a malformed chunk into one terminal error and then stays quiet', () => {
    const d = decoder();
    d.push(chunk({ candidates: [text(0, 'Hi')] }));
    expect(d.push({ data: '{"candidates": [' }).map(eventJson)).toMatchObject([{ type: 'error', error: { status: 502, code: 'upstream_malformed_response', retryable: true } }]);
    expect(d.push(chunk({ candidates: [text(0, 'late', 'STOP')] }))).toEqual([]);
    expect(d.end()).toEqual([]);
    expect(d.done).toBe(false);
  });

  it('keeps a rate limit inside the stream retryable with its RetryInfo delay', () => {
    const events = decoder().push(
      chunk({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '4s' }] } }),
    );
    expect(events.map(eventJson)).toEqual([
      { type: 'error', error: { status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', failure: 'rate_limited', retryable: true, retryAfter: 4, message: 'The upstream rate limit was reached; retry later.' } },
    ]);
  });

  it('skips usage-only chunks before content and keep-alive blanks', () => {
    const d = decoder();
    expect(d.push(chunk({ usageMetadata: { promptTokenCount: 5 } }))).toEqual([]);
    expect(d.push({ data: '' })).toEqual([]);
    expect(d.end().map(eventJson)).toMatchObject([{ type: 'error', error: { code: 'upstream_stream_truncated' } }]);
  });
});
