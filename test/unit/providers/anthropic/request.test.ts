import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../../../../src/protocol/chat.js';
import { createAnthropicAdapter } from '../../../../src/providers/anthropic/index.js';
import { messagesUrl } from '../../../../src/providers/anthropic/request.js';
import { chatRequest, errorJson, outcome, testTarget } from './fixture-suite.js';

const adapter = createAnthropicAdapter();
const target = testTarget('claude-sonnet-4-5');

function body(req: ChatRequest, stream = false): Record<string, any> {
  return JSON.parse(adapter.chat.build(req, target, { stream }).body!);
}

function refusal(req: ChatRequest): Record<string, unknown> {
  try {
    adapter.chat.build(req, target, { stream: false });
  } catch (error) {
    return errorJson(error);
  }
  throw new Error('expected the request to be refused');
}

const user = (content: string): ChatMessage => ({ role: 'user', content });

describe('anthropic request: parameters Messages cannot honour are refused, never dropped', () => {
  it.each([
    [{ type: 'json_object' }, "response_format 'json_object' is not supported by this model."],
    [{ type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } }, "response_format 'json_schema' is not supported by this model."],
  ] as const)('refuses response_format %j with a 400 naming it', (format, message) => {
    expect(refusal(chatRequest({ model: 'm', messages: [user('hi')], response_format: format }))).toEqual({
      status: 400,
      code: 'unsupported_parameter',
      type: 'invalid_request_error',
      failure: undefined,
      retryable: false,
      param: 'response_format',
      message,
    });
  });

  it('accepts response_format text, n: 1 and zero penalties as the no-ops they are', () => {
    const req = chatRequest({
      model: 'm',
      messages: [user('hi')],
      response_format: { type: 'text' },
      n: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
      logprobs: false,
    });
    expect(body(req)).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  });

  it.each([
    ['n', { n: 2 }],
    ['seed', { seed: 7 }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { top_logprobs: 3 }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: -0.5 }],
  ] as const)('refuses %s', (param, fields) => {
    const error = refusal(chatRequest({ model: 'm', messages: [user('hi')], ...fields }));
    expect(error).toMatchObject({ status: 400, code: 'unsupported_parameter', param });
  });
});

describe('anthropic request: messages', () => {
  it('names the tool-call argument that is not JSON', () => {
    const req = chatRequest({
      model: 'm',
      messages: [
        user('hi'),
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":' } }] },
      ],
    });
    expect(refusal(req)).toMatchObject({ status: 400, code: 'invalid_value', param: 'messages[1].tool_calls[0].function.arguments' });
  });

  it('refuses arguments that are JSON but not an object, and takes empty arguments as {}', () => {
    const call = (args: string): ChatRequest =>
      chatRequest({ model: 'm', messages: [user('hi'), { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: args } }] }] });
    expect(refusal(call('[1,2]'))).toMatchObject({ status: 400, param: 'messages[1].tool_calls[0].function.arguments' });
    expect(body(call('')).messages[1].content).toEqual([{ type: 'tool_use', id: 't1', name: 'f', input: {} }]);
  });

  it('merges every run of tool results, and a user message after them, into one user turn', () => {
    const req = chatRequest({
      model: 'm',
      messages: [
        user('a'),
        user('b'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 't2', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 't3', type: 'function', function: { name: 'f', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 't1', content: 'one' },
        { role: 'tool', tool_call_id: 't2', content: 'two' },
        { role: 'tool', tool_call_id: 't3', content: null },
        user('thanks'),
      ],
    });
    expect(body(req).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      {
        role: 'assistant',
        content: [1, 2, 3].map((n) => ({ type: 'tool_use', id: `t${n}`, name: 'f', input: {} })),
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'one' },
          { type: 'tool_result', tool_use_id: 't2', content: 'two' },
          { type: 'tool_result', tool_use_id: 't3', content: '' },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
  });

  it('hoists a system message from the middle of the conversation', () => {
    const req = chatRequest({ model: 'm', messages: [user('a'), { role: 'system', content: 'Be brief.' }, user('b')] });
    const built = body(req);
    expect(built.system).toBe('Be brief.');
    expect(built.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }]);
  });

  it('does not replay reasoning without a signature (it would not validate)', () => {
    const req = chatRequest({
      model: 'm',
      messages: [user('a'), { role: 'assistant', content: 'b', reasoning_content: 'thought elsewhere' }, user('c')],
    });
    expect(body(req).messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'b' }] });
  });

  it.each([
    ['a tool message without tool_call_id', [user('a'), { role: 'tool', content: 'x' }], 'messages[1].tool_call_id'],
    ['an image in a system message', [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }, user('a')], 'messages[0].content[0]'],
    ['an audio part', [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }], 'messages[0].content[0]'],
    ['an ftp image URL', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }], 'messages[0].content[0].image_url.url'],
  ] as [string, ChatMessage[], string][])('refuses %s, naming it', (_what, messages, param) => {
    expect(refusal(chatRequest({ model: 'm', messages }))).toMatchObject({ status: 400, param });
  });
});

describe('anthropic request: tools, thinking, limits', () => {
  const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];

  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['none', false, { type: 'none' }],
    [{ type: 'function', function: { name: 'f' } }, undefined, { type: 'tool', name: 'f' }],
    [{ type: 'function', function: { name: 'f' } }, false, { type: 'tool', name: 'f', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
  ] as const)('maps tool_choice %j with parallel_tool_calls %j', (choice, parallel, expected) => {
    const req = chatRequest({ model: 'm', messages: [user('a')], tools, tool_choice: choice, parallel_tool_calls: parallel });
    expect(body(req).tool_choice).toEqual(expected);
  });

  it('passes Anthropic server tools through as given', () => {
    const req = chatRequest({ model: 'm', messages: [user('a')], tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }] });
    expect(body(req).tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }]);
  });

  it('maps every reasoning_effort to a budget below the default limit', () => {
    for (const [effort, budget] of [['minimal', 1024], ['low', 2048], ['medium', 8192], ['high', 16384]] as const) {
      const built = body(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: effort }));
      expect(built.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
      expect(built.max_tokens).toBe(budget + 4096);
    }
    expect(body(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'none' })).thinking).toBeUndefined();
  });

  it('keeps a caller limit above the budget and refuses one at or below it', () => {
    const ok = body(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'low', max_tokens: 3000 }));
    expect(ok.max_tokens).toBe(3000);
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'low', max_completion_tokens: 2048 }))).toMatchObject({
      status: 400,
      param: 'reasoning_effort',
    });
  });

  it('refuses an unknown effort, and effort together with a native thinking object', () => {
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'max' }))).toMatchObject({ param: 'reasoning_effort' });
    const both = chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'low', extra: { thinking: { type: 'enabled', budget_tokens: 2000 } } });
    expect(refusal(both)).toMatchObject({ param: 'reasoning_effort' });
  });

  it('sizes the default max_tokens around a native thinking budget passed in extra', () => {
    const built = body(chatRequest({ model: 'm', messages: [user('a')], extra: { thinking: { type: 'enabled', budget_tokens: 5000 } } }));
    expect(built).toMatchObject({ max_tokens: 9096, thinking: { type: 'enabled', budget_tokens: 5000 } });
  });

  it('forwards only Anthropic fields from extra', () => {
    const built = body(chatRequest({ model: 'm', messages: [user('a')], extra: { top_k: 5, output_config: { effort: 'low' }, enable_thinking: true } }));
    expect(built.top_k).toBe(5);
    expect(built.output_config).toEqual({ effort: 'low' });
    expect(built.enable_thinking).toBeUndefined();
  });

  it('asks for a stream only when streaming', () => {
    expect(body(chatRequest({ model: 'm', messages: [user('a')] }), true).stream).toBe(true);
    expect(body(chatRequest({ model: 'm', messages: [user('a')] }), false).stream).toBeUndefined();
  });
});

describe('anthropic request: URL and headers', () => {
  it.each([
    ['', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com/', 'https://api.anthropic.com/v1/messages'],
    ['https://gw.example/anthropic/v1', 'https://gw.example/anthropic/v1/messages'],
    ['https://api.deepseek.com/anthropic', 'https://api.deepseek.com/anthropic/v1/messages'],
  ])('base %j → %s', (base, url) => {
    expect(messagesUrl(base)).toBe(url);
  });

  it('lets operator headers override defaults case-insensitively, without duplicates', () => {
    const spec = adapter.chat.build(chatRequest({ model: 'm', messages: [user('a')] }), {
      ...target,
      provider: { ...target.provider, headers: { 'Anthropic-Version': '2024-01-01', 'anthropic-beta': 'interleaved-thinking-2025-05-14' } },
    }, { stream: false });
    expect(spec.headers).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2024-01-01',
      'anthropic-beta': 'interleaved-thinking-2025-05-14',
      'x-api-key': 'test-key',
    });
  });

  it('sends no x-api-key header when the provider has no key', () => {
    const spec = adapter.chat.build(chatRequest({ model: 'm', messages: [user('a')] }), { ...target, provider: { ...target.provider, api_key: undefined } }, { stream: false });
    expect(outcome(() => spec.headers)).not.toHaveProperty('x-api-key');
  });
});
