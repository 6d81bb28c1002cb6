import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../../../src/protocol/chat.js';
import { encodeAnthropicError, encodeMessageResponse, toolInput } from '../../../../src/protocol/anthropic/encode.js';
import { BaimoError, invalidRequest, modelNotFound, unauthenticated, upstreamError } from '../../../../src/protocol/errors.js';

const response = (message: ChatResponse['choices'][0]['message'], finish: string, usage?: ChatResponse['usage']): ChatResponse => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'upstream-model',
  choices: [{ index: 0, message, finish_reason: finish }],
  ...(usage ? { usage } : {}),
});

describe('canonical response → Messages message', () => {
  it('encodes text, the public model, end_turn and usage', () => {
    const msg = encodeMessageResponse(response({ role: 'assistant', content: 'Paris.' }, 'stop', { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 }), 'public', 'msg_1');
    expect(msg).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'public',
      content: [{ type: 'text', text: 'Paris.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 3 },
    });
  });

  it('puts thinking first, then text, then tool_use with the arguments as an input object', () => {
    const msg = encodeMessageResponse(
      response(
        {
          role: 'assistant',
          content: 'Checking.',
          reasoning_content: 'Two cities.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'now', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
      'public',
      'msg_2',
    );
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Two cities.', signature: '' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'now', input: {} },
    ]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage).toEqual({ input_tokens: 0, output_tokens: 0 });
  });

  it('maps finish reasons and splits cached input out of input_tokens', () => {
    const stop = (reason: string) => encodeMessageResponse(response({ role: 'assistant', content: 'x' }, reason), 'p', 'm').stop_reason;
    expect(stop('length')).toBe('max_tokens');
    expect(stop('content_filter')).toBe('refusal');
    expect(stop('stop')).toBe('end_turn');
    const usage = encodeMessageResponse(
      response({ role: 'assistant', content: 'x' }, 'stop', {
        prompt_tokens: 2000,
        completion_tokens: 10,
        total_tokens: 2010,
        prompt_tokens_details: { cached_tokens: 1800, cache_creation_tokens: 100 },
      }),
      'p',
      'm',
    ).usage;
    expect(usage).toEqual({ input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 1800, cache_creation_input_tokens: 100 });
  });

  it('refuses tool arguments that are not a JSON object instead of inventing an input', () => {
    expect(toolInput('{"a":1}')).toEqual({ a: 1 });
    expect(() => toolInput('[1,2]')).toThrow(BaimoError);
    expect(() => toolInput('{"city": "Par')).toThrow(/not a JSON object/);
  });
});

describe('encodeAnthropicError', () => {
  const typeOf = (err: BaimoError) => encodeAnthropicError(err).body.error.type;

  it('answers Anthropic error JSON with the status kept', () => {
    const encoded = encodeAnthropicError(invalidRequest("Invalid value for 'temperature'.", 'temperature'));
    expect(encoded.status).toBe(400);
    expect(encoded.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: "Invalid value for 'temperature'." } });
  });

  it('maps each status to the type Anthropic uses for it', () => {
    const at = (status: number) => new BaimoError('upstream', 'x', { status, code: 'c' });
    expect(typeOf(unauthenticated())).toBe('authentication_error');
    expect(typeOf(at(402))).toBe('billing_error');
    expect(typeOf(at(403))).toBe('permission_error');
    expect(typeOf(modelNotFound('m'))).toBe('not_found_error');
    expect(typeOf(at(413))).toBe('request_too_large');
    expect(typeOf(at(415))).toBe('invalid_request_error');
    expect(typeOf(at(500))).toBe('api_error');
    expect(typeOf(at(502))).toBe('api_error');
    expect(typeOf(at(503))).toBe('overloaded_error');
    expect(typeOf(at(529))).toBe('overloaded_error');
    expect(typeOf(at(504))).toBe('timeout_error');
  });

  it('carries retry-after for rate limits', () => {
    const encoded = encodeAnthropicError(upstreamError('slow down', { status: 429, code: 'rate_limit_exceeded', failure: 'rate_limited', retryAfter: 27 }));
    expect(encoded.body.error.type).toBe('rate_limit_error');
    expect(encoded.headers).toMatchObject({ 'retry-after': '27', 'x-should-retry': 'true' });
  });
});
