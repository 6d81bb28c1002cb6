import { describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from '../../../../src/providers/anthropic/index.js';
import { errorJson, fixedContext, outcome } from './fixture-suite.js';

const adapter = createAnthropicAdapter();
const message = (fields: Record<string, unknown>) => ({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [], usage: { input_tokens: 1, output_tokens: 1 }, ...fields });

describe('anthropic response parsing', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['model_context_window_exceeded', 'length'],
    ['some_future_reason', 'some_future_reason'],
  ])('maps stop_reason %s → %s', (stopReason, finish) => {
    const parsed = adapter.chat.parse(message({ content: [{ type: 'text', text: 'x' }], stop_reason: stopReason }), fixedContext());
    expect(parsed.choices[0]!.finish_reason).toBe(finish);
  });

  it('answers an empty content list with an empty string, not null', () => {
    const parsed = adapter.chat.parse(message({ stop_reason: 'max_tokens' }), fixedContext());
    expect(parsed.choices[0]!.message.content).toBe('');
  });

  it('synthesises an id for a tool_use block that lacks one, and keeps server-tool blocks out', () => {
    const parsed = adapter.chat.parse(
      message({
        content: [
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
          { type: 'tool_use', name: 'f', input: {} },
        ],
        stop_reason: 'tool_use',
      }),
      fixedContext(),
    );
    expect(parsed.choices[0]!.message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }]);
  });

  it('throws a typed error for an error body inside a 200, and a 502 for a body it cannot read', () => {
    expect(outcome(() => adapter.chat.parse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, fixedContext()))).toMatchObject({
      error: { status: 503, code: 'overloaded' },
    });
    expect(outcome(() => adapter.chat.parse({ type: 'message', content: 'not a list' }, fixedContext()))).toMatchObject({
      error: { status: 502, code: 'upstream_malformed_response', failure: 'transient' },
    });
    expect(outcome(() => adapter.chat.parse({ type: 'message' }, fixedContext()))).toMatchObject({ error: { code: 'upstream_malformed_response' } });
  });
});

describe('anthropic error mapping beyond the fixtures', () => {
  const map = (status: number, body: string, headers: Record<string, string> = {}) => errorJson(adapter.mapError({ status, headers, body }));

  it('classifies by status when the body is not an Anthropic error (a proxy page)', () => {
    expect(map(502, '<html>Bad Gateway</html>')).toMatchObject({ status: 502, code: 'upstream_error', failure: 'transient' });
    expect(map(529, '')).toMatchObject({ status: 503, code: 'overloaded' });
    expect(map(429, 'Too Many Requests', { 'Retry-After': '3' })).toMatchObject({ status: 429, failure: 'rate_limited', retryAfter: 3 });
    expect(map(403, '')).toMatchObject({ status: 502, code: 'upstream_auth_error', failure: 'credential' });
    expect(map(413, '<html>413 Request Entity Too Large</html>')).toMatchObject({ status: 413, code: 'request_too_large', failure: 'caller' });
  });

  it('treats 409 conflict as transient and keeps an unusual caller status', () => {
    expect(map(409, JSON.stringify({ type: 'error', error: { type: 'conflict_error', message: 'conflict' } }))).toMatchObject({ status: 502, failure: 'transient', retryable: true });
    expect(map(422, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad field' } }))).toMatchObject({ status: 422, code: 'invalid_request', message: 'bad field' });
  });

  it('prefers retry-after-ms, rounds up, and honours it on overloads too', () => {
    const body = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(map(529, body, { 'retry-after-ms': '1500', 'retry-after': '9' })).toMatchObject({ retryAfter: 2 });
  });

  it('sanitises the caller-visible message: vendor names, hosts, URLs and key-like strings', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Claude cannot read sk-ant-api03-abcdefgh; see https://docs.anthropic.com/x or api.anthropic.com' },
    });
    expect(map(400, body).message).toBe('upstream cannot read [redacted]; see [url] or [host]');
  });
});
