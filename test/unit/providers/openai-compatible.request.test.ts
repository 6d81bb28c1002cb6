import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src/config/types.js';
import type { UpstreamTarget } from '../../../src/providers/adapter.js';
import { createOpenAICompatibleAdapter, findVendor, VENDORS } from '../../../src/providers/openai-compatible/index.js';
import type { ChatRequest } from '../../../src/protocol/chat.js';

/** Request building rules that hold for every vendor (CATALOG.md Appendix A), beyond the per-vendor fixtures. */

const provider = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'p',
  kind: 'openai-compatible',
  base_url: 'https://upstream.example/v1',
  api_key: 'k',
  headers: {},
  timeouts: { connect_ms: 1, first_byte_ms: 1, idle_ms: 1, total_ms: 1 },
  ...overrides,
});
const target = (overrides: Partial<ProviderConfig> = {}, upstreamModel = 'up-model'): UpstreamTarget => ({
  provider: provider(overrides),
  upstreamModel,
});

function build(vendorId: string, req: Partial<ChatRequest>, stream = false, t = target()) {
  const adapter = createOpenAICompatibleAdapter(findVendor(vendorId)!);
  const spec = adapter.chat.build({ model: 'public', messages: [{ role: 'user', content: 'hi' }], extra: {}, ...req }, t, { stream });
  return { spec, body: JSON.parse(spec.body!) as Record<string, unknown> };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('chat request building', () => {
  it('never mutates the canonical request, for any vendor, streaming or not', () => {
    const req = deepFreeze<ChatRequest>({
      model: 'public',
      messages: [
        { role: 'developer', content: 'sys' },
        { role: 'assistant', content: 'a', reasoning_content: 'r', provider_data: { x: 1 }, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' }, provider_data: { y: 2 } }] },
      ],
      max_tokens: 5,
      max_completion_tokens: 6,
      tools: [{ type: 'function', function: { name: 'f', strict: true } }],
      tool_choice: 'none',
      stream_options: { include_usage: false },
      extra: { enable_thinking: true },
    });
    for (const vendor of VENDORS) {
      for (const stream of [false, true]) {
        expect(() => createOpenAICompatibleAdapter(vendor).chat.build(req, target(), { stream })).not.toThrow();
      }
    }
  });

  it('sends the upstream model id, whatever the public name (Ark `ep-` ids, §8)', () => {
    expect(build('ark', {}, false, target({}, 'ep-20250101120000-abcde')).body.model).toBe('ep-20250101120000-abcde');
  });

  it('omits null fields and never lets `extra` override a canonical field', () => {
    const { body } = build('openai-compatible', { temperature: null, top_p: 0.5, extra: { top_p: 0.9, top_k: 4 } });
    expect(body).not.toHaveProperty('temperature');
    expect(body.top_p).toBe(0.5);
    expect(body.top_k).toBe(4);
  });

  it('never sends `stream_options` on a non-stream request (OpenAI rejects it)', () => {
    const { body } = build('openai', { stream_options: { include_usage: true } }, false);
    expect(body).not.toHaveProperty('stream_options');
    expect(body).not.toHaveProperty('stream');
  });

  it('asks for stream usage even when the client said no, and keeps other client stream options', () => {
    const { body } = build('openai', { stream_options: { include_usage: false, include_obfuscation: false } }, true);
    expect(body.stream_options).toEqual({ include_usage: true, include_obfuscation: false });
  });

  it('renames max tokens to the vendor field, preferring the value already under that name', () => {
    expect(build('deepseek', { max_completion_tokens: 7 }).body).toMatchObject({ max_tokens: 7 });
    const both = build('deepseek', { max_tokens: 3, max_completion_tokens: 7 }).body;
    expect(both.max_tokens).toBe(3);
    expect(both).not.toHaveProperty('max_completion_tokens');
    expect(build('minimax', { max_tokens: 9 }).body).toMatchObject({ max_completion_tokens: 9 });
    expect(build('openai', { max_tokens: 1, max_completion_tokens: 2 }).body).toMatchObject({ max_tokens: 1, max_completion_tokens: 2 });
  });

  it('never clamps values: out-of-range input reaches the vendor as given', () => {
    expect(build('zhipu', { temperature: 1.8, top_p: 1 }).body).toMatchObject({ temperature: 1.8, top_p: 1 });
    expect(build('minimax', { temperature: 0 }).body).toMatchObject({ temperature: 0 });
  });

  it('drops tools too when a vendor without `tool_choice` is told "none", and keeps them otherwise', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(build('ollama', { tools, tool_choice: 'none' }).body).not.toHaveProperty('tools');
    expect(build('ollama', { tools, tool_choice: 'auto' }).body).toMatchObject({ tools });
    expect(build('openai', { tools, tool_choice: 'none' }).body).toMatchObject({ tools, tool_choice: 'none' });
  });

  it('strips `strict` from function tools only for vendors that reject it (MiniMax §13)', () => {
    const tools = [{ type: 'function', function: { name: 'f', strict: true } }, { type: 'web_search' }];
    expect(build('minimax', { tools }).body.tools).toEqual([{ type: 'function', function: { name: 'f' } }, { type: 'web_search' }]);
    expect(build('deepseek', { tools }).body.tools).toEqual(tools);
  });

  it('rewrites `developer` to `system` except for OpenAI and Azure', () => {
    const messages = [{ role: 'developer' as const, content: 'x' }];
    expect(build('qianfan', { messages }).body.messages).toEqual([{ role: 'system', content: 'x' }]);
    expect(build('azure', { messages }).body.messages).toEqual([{ role: 'developer', content: 'x' }]);
  });

  it('replays reasoning as the vendor wants it: kept, stripped, or inline <think> (parts content too)', () => {
    const assistant = { role: 'assistant' as const, content: [{ type: 'text', text: 'ans' }], reasoning_content: 'why' };
    expect(build('deepseek', { messages: [assistant] }).body.messages).toEqual([{ ...assistant }]);
    expect(build('openai', { messages: [assistant] }).body.messages).toEqual([{ role: 'assistant', content: [{ type: 'text', text: 'ans' }] }]);
    expect(build('minimax', { messages: [assistant] }).body.messages).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: '<think>why</think>\n\n' }, { type: 'text', text: 'ans' }] },
    ]);
    // Only assistant turns carry reasoning back.
    expect(build('minimax', { messages: [{ role: 'user', content: 'q', reasoning_content: 'x' }] }).body.messages).toEqual([{ role: 'user', content: 'q' }]);
  });
});

describe('endpoint and headers', () => {
  it('joins base URL and path whatever the trailing slashes', () => {
    expect(build('vllm', {}, false, target({ base_url: 'http://h:8000/v1///' })).spec.url).toBe('http://h:8000/v1/chat/completions');
  });

  it('sends no credentials to a server with auth `none`, even when a key is configured', () => {
    const { spec } = build('tgi', {}, false, target({ api_key: 'secret', headers: { 'X-Trace': '1' } }));
    expect(spec.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', 'X-Trace': '1' });
  });

  it('sends Bearer only when a key is configured', () => {
    expect(build('vllm', {}, false, target({ api_key: undefined })).spec.headers).not.toHaveProperty('authorization');
    expect(build('vllm', {}, false, target({ api_key: 'k' })).spec.headers.authorization).toBe('Bearer k');
  });

  it('lets the configured key win over an operator header of the same name in any case', () => {
    const { spec } = build('deepseek', {}, false, target({ api_key: 'k', headers: { Authorization: 'Bearer stale', appid: 'a' } }));
    expect(spec.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', appid: 'a', authorization: 'Bearer k' });
  });

  it('keeps an operator Authorization header when no key is configured (e.g. an Entra token for Azure)', () => {
    const { spec } = build('azure', {}, false, target({ api_key: undefined, headers: { Authorization: 'Bearer entra' } }));
    expect(spec.headers.Authorization).toBe('Bearer entra');
    expect(spec.headers).not.toHaveProperty('api-key');
  });
});

describe('other codecs', () => {
  const vllm = createOpenAICompatibleAdapter(findVendor('vllm')!);

  it('embeddings always ask upstream for floats and do not clamp batch sizes', () => {
    const input = Array.from({ length: 40 }, (_, n) => `t${n}`);
    const spec = createOpenAICompatibleAdapter(findVendor('dashscope')!).embeddings!.build(
      { model: 'e', input, encoding_format: 'base64', extra: {} },
      target(),
    );
    expect(JSON.parse(spec.body!)).toEqual({ model: 'up-model', input, encoding_format: 'float' });
  });

  it('completions without streaming send neither `stream` nor `stream_options`', () => {
    const spec = vllm.completions!.build({ model: 'c', prompt: 'p', stream_options: { include_usage: true }, extra: {} }, target(), { stream: false });
    expect(JSON.parse(spec.body!)).toEqual({ model: 'up-model', prompt: 'p' });
  });

  it('rejects malformed bodies as transient upstream errors, and surfaces errors inside a 200', () => {
    const context = { newId: (p: string) => p, nowSeconds: () => 1 };
    expect(() => vllm.chat.parse('nope', context)).toThrow(expect.objectContaining({ code: 'upstream_malformed_response', status: 502 }));
    expect(() => vllm.chat.parse({ id: 'x' }, context)).toThrow(expect.objectContaining({ code: 'upstream_malformed_response' }));
    expect(() => vllm.embeddings!.parse({ data: [{ embedding: ['a'] }] }, context)).toThrow(expect.objectContaining({ code: 'upstream_malformed_response' }));
    expect(() => vllm.rerank!.parse({ error: { message: 'no reranker', code: 404 } }, context)).toThrow(expect.objectContaining({ status: 404, code: 'model_not_found' }));
    expect(() => vllm.completions!.parse({ object: 'text_completion' }, context)).toThrow(expect.objectContaining({ code: 'upstream_malformed_response' }));
  });
});
