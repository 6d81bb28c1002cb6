import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../../src/protocol/chat.js';
import { createBedrockAdapter } from '../../../../src/providers/bedrock/index.js';
import { chatRequest, errorJson, testTarget } from '../anthropic/fixture-suite.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const NOVA = 'us.amazon.nova-pro-v1:0';
const weather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };

function body(fields: Partial<ChatRequest>, model = CLAUDE): Record<string, any> {
  const req = chatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...fields });
  const spec = createBedrockAdapter().chat.build(req, testTarget(model, 'https://bedrock-runtime.us-east-1.amazonaws.com'), { stream: false });
  return JSON.parse(spec.body!);
}

function refusal(fields: Partial<ChatRequest>, model = CLAUDE): Record<string, unknown> {
  try {
    body(fields, model);
  } catch (error) {
    return errorJson(error);
  }
  throw new Error('expected the request to be refused');
}

describe('bedrock request building', () => {
  it('sends no inferenceConfig, toolConfig or additionalModelRequestFields when nothing asks for them', () => {
    expect(body({})).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('maps tool_choice auto and a named function', () => {
    expect(body({ tools: [weather], tool_choice: 'auto' }).toolConfig.toolChoice).toEqual({ auto: {} });
    expect(body({ tools: [weather], tool_choice: { type: 'function', function: { name: 'get_weather' } } }).toolConfig.toolChoice).toEqual({ tool: { name: 'get_weather' } });
    expect(body({ tools: [weather] }).toolConfig.toolChoice).toBeUndefined();
  });

  it("tool_choice 'none' sends no tools, and is refused when the history holds tool calls", () => {
    expect(body({ tools: [weather], tool_choice: 'none' }).toolConfig).toBeUndefined();
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'sunny' },
    ];
    expect(refusal({ messages, tools: [weather], tool_choice: 'none' })).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'tool_choice' });
  });

  it('refuses what Converse cannot express, naming the parameter', () => {
    expect(refusal({ response_format: { type: 'json_object' } })).toMatchObject({ status: 400, param: 'response_format' });
    expect(refusal({ n: 2 })).toMatchObject({ param: 'n' });
    expect(refusal({ tools: [weather], parallel_tool_calls: false })).toMatchObject({ param: 'parallel_tool_calls' });
    expect(refusal({ tools: [{ type: 'web_search' }] })).toMatchObject({ param: 'tools[0].type' });
  });

  it('refuses image URLs (Converse takes bytes) and unsupported image types', () => {
    const image = (url: string): Partial<ChatRequest> => ({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] });
    expect(refusal(image('https://example.com/cat.png'))).toMatchObject({ status: 400, param: 'messages[0].content[0].image_url.url' });
    expect(refusal(image('data:image/tiff;base64,AAAA'))).toMatchObject({ status: 400, param: 'messages[0].content[0].image_url.url' });
  });

  it('reasoning_effort: Claude gets a thinking budget; other models refuse it; none is a no-op', () => {
    expect(body({ reasoning_effort: 'low', max_completion_tokens: 4000 })).toMatchObject({
      inferenceConfig: { maxTokens: 4000 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    });
    expect(refusal({ reasoning_effort: 'high' }, NOVA)).toMatchObject({ status: 400, param: 'reasoning_effort' });
    expect(body({ reasoning_effort: 'none' }, NOVA)).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('refuses a limit that leaves no room for the thinking budget, and effort plus an explicit thinking', () => {
    expect(refusal({ reasoning_effort: 'medium', max_tokens: 8192 })).toMatchObject({ status: 400, param: 'reasoning_effort' });
    expect(refusal({ reasoning_effort: 'low', extra: { thinking: { type: 'enabled', budget_tokens: 1024 } } })).toMatchObject({ param: 'reasoning_effort' });
    expect(refusal({ reasoning_effort: 'low', extra: { additionalModelRequestFields: { thinking: { type: 'disabled' } } } })).toMatchObject({ param: 'reasoning_effort' });
  });

  it('an explicit thinking object passes through and sizes the default maxTokens', () => {
    expect(body({ extra: { thinking: { type: 'enabled', budget_tokens: 3000 } } })).toMatchObject({
      inferenceConfig: { maxTokens: 7096 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 3000 } },
    });
  });

  it('drops unsigned reasoning from history rather than forging a block', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello', reasoning_content: 'thinking from another provider' },
      { role: 'user', content: 'Again' },
    ];
    expect(body({ messages }).messages[1]).toEqual({ role: 'assistant', content: [{ text: 'Hello' }] });
  });
});
