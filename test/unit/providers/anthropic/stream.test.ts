import { describe, expect, it } from 'vitest';
import type { SseMessage } from '../../../../src/providers/adapter.js';
import { createAnthropicAdapter } from '../../../../src/providers/anthropic/index.js';
import { eventJson, fixedContext } from './fixture-suite.js';

const event = (data: Record<string, unknown>): SseMessage => ({ event: String(data.type), data: JSON.stringify(data) });
const messageStart = event({ type: 'message_start', message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 3, output_tokens: 1 } } });

function decoder() {
  return createAnthropicAdapter().chat.decoder(fixedContext());
}

describe('anthropic stream decoder state', () => {
  it('is done only after message_stop, and ignores anything after it', () => {
    const d = decoder();
    d.push(messageStart);
    d.push(event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } }));
    expect(d.done).toBe(false);
    expect(d.push(event({ type: 'message_stop' })).map(eventJson)).toEqual([
      { type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    ]);
    expect(d.done).toBe(true);
    expect(d.push(event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'late' } }))).toEqual([]);
    expect(d.end()).toEqual([]);
  });

  it('turns a malformed event into one terminal error and then stays quiet', () => {
    const d = decoder();
    d.push(messageStart);
    const [error] = d.push({ event: 'content_block_delta', data: '{"type":"content_block_delta",' }).map(eventJson);
    expect(error).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_malformed_response', failure: 'transient', retryable: true } });
    expect(d.push(event({ type: 'message_stop' }))).toEqual([]);
    expect(d.end()).toEqual([]);
    expect(d.done).toBe(false);
  });

  it('emits a tool input that arrived whole in content_block_start when its block stops', () => {
    const d = decoder();
    d.push(messageStart);
    const started = d.push(event({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } } }));
    const stopped = d.push(event({ type: 'content_block_stop', index: 0 }));
    expect([...started, ...stopped].map(eventJson)).toEqual([
      { type: 'delta', index: 0, tool_calls: [{ index: 0, id: 'toolu_1', name: 'f', arguments: '' }] },
      { type: 'delta', index: 0, tool_calls: [{ index: 0, arguments: '{"a":1}' }] },
    ]);
  });

  it('ignores pings, server-tool blocks, citation deltas and event kinds it does not know', () => {
    const d = decoder();
    d.push(messageStart);
    expect(d.push(event({ type: 'ping' }))).toEqual([]);
    expect(d.push(event({ type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search' } }))).toEqual([]);
    expect(d.push(event({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } }))).toEqual([]);
    expect(d.push(event({ type: 'content_block_delta', index: 1, delta: { type: 'citations_delta', citation: {} } }))).toEqual([]);
    expect(d.push(event({ type: 'brand_new_event' }))).toEqual([]);
    expect(d.push({ data: '' })).toEqual([]);
  });

  it('takes the event kind from the SSE event name when the payload lacks a type', () => {
    const d = decoder();
    d.push(messageStart);
    d.push(event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
    expect(d.push({ event: 'content_block_delta', data: '{"index":0,"delta":{"type":"text_delta","text":"hi"}}' }).map(eventJson)).toEqual([
      { type: 'delta', index: 0, content: 'hi' },
    ]);
  });

  it('maps a mid-stream rate limit error like the HTTP one, without a retry-after it cannot know', () => {
    const d = decoder();
    d.push(messageStart);
    expect(d.push(event({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } })).map(eventJson)).toEqual([
      {
        type: 'error',
        error: { status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', failure: 'rate_limited', retryable: true, message: 'The upstream rate limit was reached; retry later.' },
      },
    ]);
  });

  it('reports a stream cut before message_stop as truncated, even after the finish reason', () => {
    const d = decoder();
    d.push(messageStart);
    d.push(event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }));
    expect(d.end().map(eventJson)).toEqual([
      { type: 'error', error: { status: 502, code: 'upstream_stream_truncated', type: 'server_error', failure: 'transient', retryable: true, message: 'Upstream stream ended before it was complete.' } },
    ]);
  });
});
