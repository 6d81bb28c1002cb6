import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../../../../src/protocol/chat.js';
import { createGeminiAdapter } from '../../../../src/providers/gemini/index.js';
import { geminiUrl } from '../../../../src/providers/gemini/request.js';
import { chatRequest, errorJson, testTarget } from '../anthropic/fixture-suite.js';

const adapter = createGeminiAdapter();

function body(req: ChatRequest, model = 'gemini-2.5-flash'): Record<string, any> {
  return JSON.parse(adapter.chat.build(req, testTarget(model), { stream: false }).body!);
}

function refusal(req: ChatRequest, model = 'gemini-2.5-flash'): Record<string, unknown> {
  try {
    adapter.chat.build(req, testTarget(model), { stream: false });
  } catch (error) {
    return errorJson(error);
  }
  throw new Error('expected the request to be refused');
}

const user = (content: string): ChatMessage => ({ role: 'user', content });
const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];

describe('gemini request: thinking', () => {
  it.each([
    ['gemini-2.5-flash', 'none', { thinkingBudget: 0 }],
    ['gemini-2.5-flash', 'minimal', { thinkingBudget: 512, includeThoughts: true }],
    ['gemini-2.5-flash-lite', 'low', { thinkingBudget: 1024, includeThoughts: true }],
    ['models/gemini-2.5-pro', 'medium', { thinkingBudget: 8192, includeThoughts: true }],
    ['gemini-3-pro-preview', 'high', { thinkingLevel: 'high', includeThoughts: true }],
    ['gemini-3-flash-preview', 'minimal', { thinkingLevel: 'minimal', includeThoughts: true }],
  ])('%s with reasoning_effort %s → %j', (model, effort, thinkingConfig) => {
    expect(body(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: effort }), model).generationConfig).toEqual({ thinkingConfig });
  });

  it('refuses efforts the model generation has no setting for', () => {
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'none' }), 'gemini-3-pro-preview')).toMatchObject({ status: 400, param: 'reasoning_effort' });
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'max' }))).toMatchObject({ status: 400, param: 'reasoning_effort' });
  });

  it('sends a native thinkingConfig from extra as given, and refuses it alongside reasoning_effort', () => {
    const native = { thinkingBudget: -1, includeThoughts: true };
    expect(body(chatRequest({ model: 'm', messages: [user('a')], extra: { thinkingConfig: native } })).generationConfig).toEqual({ thinkingConfig: native });
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], reasoning_effort: 'low', extra: { thinkingConfig: native } }))).toMatchObject({ param: 'reasoning_effort' });
  });
});

describe('gemini request: tools and parameters', () => {
  it.each([
    ['auto', { functionCallingConfig: { mode: 'AUTO' } }],
    ['none', { functionCallingConfig: { mode: 'NONE' } }],
    ['required', { functionCallingConfig: { mode: 'ANY' } }],
  ] as const)('maps tool_choice %s', (choice, toolConfig) => {
    expect(body(chatRequest({ model: 'm', messages: [user('a')], tools, tool_choice: choice })).toolConfig).toEqual(toolConfig);
  });

  it('refuses parallel_tool_calls: false when tools are offered, since Gemini cannot honour it', () => {
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], tools, parallel_tool_calls: false }))).toMatchObject({
      status: 400,
      code: 'unsupported_parameter',
      param: 'parallel_tool_calls',
    });
    expect(body(chatRequest({ model: 'm', messages: [user('a')], parallel_tool_calls: false })).toolConfig).toBeUndefined();
  });

  it('refuses a non-function tool, logprobs and logit_bias, naming each', () => {
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], tools: [{ type: 'web_search' }] }))).toMatchObject({ param: 'tools[0].type' });
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], logprobs: true }))).toMatchObject({ param: 'logprobs' });
    expect(refusal(chatRequest({ model: 'm', messages: [user('a')], logit_bias: { '1': 5 } }))).toMatchObject({ param: 'logit_bias' });
  });

  it('asks for several candidates and plain JSON mode', () => {
    const built = body(chatRequest({ model: 'm', messages: [user('a')], n: 3, response_format: { type: 'json_object' } }));
    expect(built.generationConfig).toEqual({ candidateCount: 3, responseMimeType: 'application/json' });
  });

  it('sends a function without parameters as a bare declaration', () => {
    const built = body(chatRequest({ model: 'm', messages: [user('a')], tools: [{ type: 'function', function: { name: 'now' } }] }));
    expect(built.tools).toEqual([{ functionDeclarations: [{ name: 'now' }] }]);
  });
});

describe('gemini request: messages', () => {
  it('refuses a tool result whose id matches no earlier call, naming it', () => {
    const req = chatRequest({ model: 'm', messages: [user('a'), { role: 'tool', tool_call_id: 'call_x', content: 'r' }] });
    expect(refusal(req)).toMatchObject({ status: 400, param: 'messages[1].tool_call_id' });
  });

  it('refuses an http image whose type cannot be told from its URL, pointing to data: URLs', () => {
    const req = chatRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/photo' } }] }] });
    const error = refusal(req);
    expect(error).toMatchObject({ status: 400, param: 'messages[0].content[0].image_url.url' });
    expect(String(error.message)).toContain('data: URL');
  });

  it('merges consecutive same-role turns and hoists every system message', () => {
    const req = chatRequest({ model: 'm', messages: [{ role: 'system', content: 'S1' }, user('a'), { role: 'developer', content: 'S2' }, user('b')] });
    const built = body(req);
    expect(built.systemInstruction).toEqual({ parts: [{ text: 'S1' }, { text: 'S2' }] });
    expect(built.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });

  it('names the tool-call argument that is not JSON', () => {
    const req = chatRequest({
      model: 'm',
      messages: [user('a'), { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: 'city=Paris' } }] }],
    });
    expect(refusal(req)).toMatchObject({ status: 400, param: 'messages[1].tool_calls[0].function.arguments' });
  });
});

describe('gemini request: URL and headers', () => {
  it.each([
    ['', 'gemini-2.5-flash', 'generateContent', 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent'],
    ['https://generativelanguage.googleapis.com/v1beta/', 'models/gemini-2.5-flash', 'streamGenerateContent', 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'],
    ['https://gw.example/google/v1beta', 'gemini-embedding-001', 'batchEmbedContents', 'https://gw.example/google/v1beta/models/gemini-embedding-001:batchEmbedContents'],
  ] as const)('base %j, model %s, %s', (base, model, method, url) => {
    expect(geminiUrl(base, model, method)).toBe(url);
  });

  it('lets operator headers override defaults case-insensitively, with the key last', () => {
    const target = testTarget('gemini-2.5-flash');
    const spec = adapter.chat.build(chatRequest({ model: 'm', messages: [user('a')] }), {
      ...target,
      provider: { ...target.provider, headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Goog-Api-Key': 'overridden' } },
    }, { stream: true });
    expect(spec.headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'x-goog-api-key': 'test-key' });
    expect(spec.url).toMatch(/:streamGenerateContent\?alt=sse$/);
  });
});
