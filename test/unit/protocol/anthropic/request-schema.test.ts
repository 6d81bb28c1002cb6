import { describe, expect, it } from 'vitest';
import { parseCountTokensRequest, parseMessagesRequest } from '../../../../src/protocol/anthropic/request-schema.js';
import { BaimoError } from '../../../../src/protocol/errors.js';

/** Messages request → canonical chat request (docs/surfaces.md, "Anthropic Messages surface"). */
const base = { model: 'm', max_tokens: 100 };
const parse = (body: Record<string, unknown>) => parseMessagesRequest({ ...base, ...body });
const user = (content: unknown) => ({ role: 'user', content });

function refusal(fn: () => unknown): BaimoError {
  try {
    fn();
  } catch (err) {
    if (BaimoError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a 400');
}

describe('Messages → canonical chat request', () => {
  it('keeps the client body as given for native deployments', () => {
    const body = { ...base, messages: [user('hi')], cache_me: { x: 1 } };
    expect(parseMessagesRequest(body).body).toBe(body);
  });

  it('maps system, max_tokens, sampling, stop_sequences, metadata and stream', () => {
    const { chat, untranslatable } = parse({
      system: 'Be brief.',
      messages: [user('hi')],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END', '###'],
      metadata: { user_id: 'u-1' },
      stream: true,
    });
    expect(untranslatable).toBeUndefined();
    expect(chat).toEqual({
      model: 'm',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }],
      max_tokens: 100,
      stream: true,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END', '###'],
      user: 'u-1',
      extra: { top_k: 40 },
    });
  });

  it('keeps system text blocks as text parts with their cache breakpoints, drops Anthropic service fields (top-level cache_control too), passes unknown fields through', () => {
    const { chat } = parse({
      system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'B' }],
      messages: [user('hi')],
      service_tier: 'auto',
      speed: 'fast',
      cache_control: { type: 'ephemeral' },
      inference_geo: 'us',
      vendor_knob: 3,
    });
    expect(chat.messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'B' }] });
    expect(chat.extra).toEqual({ vendor_knob: 3 });
  });

  it('keeps cache breakpoints on user and assistant text blocks and on tools; a malformed one is no breakpoint', () => {
    const { chat } = parse({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'doc', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'q', cache_control: { type: 'persistent' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'a1', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'a2' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'b1' }, { type: 'text', text: 'b2' }] },
        user('go on'),
      ],
      tools: [{ name: 't', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
    });
    expect(chat.messages[0]!.content).toEqual([{ type: 'text', text: 'doc', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'q' }]);
    expect(chat.messages[1]!.content).toEqual([{ type: 'text', text: 'a1', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'a2' }]);
    expect(chat.messages[2]!.content).toBe('b1b2');
    expect(chat.tools).toEqual([{ type: 'function', function: { name: 't', parameters: { type: 'object' } }, cache_control: { type: 'ephemeral' } }]);
  });

  it('maps images: base64 to a data: URL, url as given', () => {
    const { chat } = parse({
      messages: [user([
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      ])],
    });
    expect(chat.messages[0]!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('turns tool_use into tool_calls and tool_result blocks into tool messages placed before the rest of the turn', () => {
    const { chat } = parse({
      messages: [
        user('Weather in Paris and Tokyo?'),
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two cities.', signature: 'sig-1' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Tokyo' } },
          ],
        },
        user([
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '21°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '18' }, { type: 'text', text: '°C' }], is_error: false },
          { type: 'text', text: 'And tomorrow?' },
        ]),
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Tokyo?' },
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning_content: 'Two cities.',
        provider_data: { anthropic: { signature: 'sig-1' } },
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '21°C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '18' }, { type: 'text', text: '°C' }] },
      { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }] },
    ]);
  });

  it('gives a tool-only assistant turn null content and a results-only user turn no user message', () => {
    const { chat } = parse({
      messages: [
        user('go'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] },
        user([{ type: 'tool_result', tool_use_id: 't' }]),
      ],
    });
    expect(chat.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't', content: '' },
    ]);
  });

  it('maps tools and every tool_choice kind', () => {
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
    const choice = (tool_choice: unknown) => parse({ messages: [user('x')], tools, tool_choice }).chat;
    expect(choice(undefined).tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: tools[0]!.input_schema } },
    ]);
    expect(choice({ type: 'auto' }).tool_choice).toBe('auto');
    expect(choice({ type: 'any' }).tool_choice).toBe('required');
    expect(choice({ type: 'none' }).tool_choice).toBe('none');
    expect(choice({ type: 'tool', name: 'get_weather' }).tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    const noParallel = choice({ type: 'auto', disable_parallel_tool_use: true });
    expect(noParallel.parallel_tool_calls).toBe(false);
    expect(choice({ type: 'auto' }).parallel_tool_calls).toBeUndefined();
  });

  it('maps thinking to reasoning_effort', () => {
    const effort = (thinking: unknown, extra: Record<string, unknown> = {}) =>
      parse({ messages: [user('x')], thinking, ...extra }).chat.reasoning_effort;
    expect(effort({ type: 'enabled', budget_tokens: 1024 })).toBe('low');
    expect(effort({ type: 'enabled', budget_tokens: 8000 })).toBe('medium');
    expect(effort({ type: 'enabled', budget_tokens: 32000 })).toBe('high');
    expect(effort({ type: 'disabled' })).toBeUndefined();
    expect(effort({ type: 'adaptive' }, { output_config: { effort: 'max' } })).toBe('high');
    expect(effort({ type: 'adaptive' }, { output_config: { effort: 'low' } })).toBe('low');
    expect(effort({ type: 'adaptive' }, { output_config: { effort: 'xhigh' } })).toBe('high');
    expect(effort({ type: 'adaptive' })).toBeUndefined();
  });

  it('maps output_config.format (structured outputs) to a strict json_schema response_format', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const { chat } = parse({ messages: [user('x')], output_config: { format: { type: 'json_schema', schema } } });
    expect(chat.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema, strict: true } });
    expect(chat.extra).toEqual({});
  });

  it('records what the canonical form cannot carry as a 400 naming the parameter, without refusing the body', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ messages: [user([{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }])] }, 'messages[0].content[0]'],
      [{ messages: [user('x')], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0]'],
      [{ messages: [user('x')], mcp_servers: [{ type: 'url', url: 'https://mcp.example' }] }, 'mcp_servers'],
      [{ messages: [user([{ type: 'image', source: { type: 'file', file_id: 'file_1' } }])] }, 'messages[0].content[0].source'],
      [{ messages: [user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }])] }, 'messages[0].content[0].content[0]'],
      [{ messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] }] }, 'messages[0].content[0]'],
    ];
    for (const [body, param] of cases) {
      const { untranslatable } = parse(body);
      expect(untranslatable, param).toMatchObject({ status: 400, code: 'unsupported_parameter', param });
    }
  });

  it('refuses invalid bodies with a 400 naming the parameter', () => {
    const cases: [unknown, string][] = [
      [{ model: 'm', messages: [user('x')] }, 'max_tokens'],
      [{ ...base, messages: [] }, 'messages'],
      [{ ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role'],
      [{ ...base, messages: [user('x')], temperature: 1.5 }, 'temperature'],
      [{ ...base, messages: [user([{ type: 'text' }])] }, 'messages[0].content[0].text'],
      [{ ...base, messages: [user([{ type: 'image', source: { type: 'base64', media_type: 'image/png' } }])] }, 'messages[0].content[0].source.data'],
      [{ ...base, messages: [user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 3 }] }])] }, 'messages[0].content[0].content[0].text'],
      [{ ...base, messages: [user('x')], tools: [{ name: 'f' }] }, 'tools[0].input_schema'],
      [{ ...base, messages: [user('x')], tool_choice: { type: 'tool' } }, 'tool_choice.name'],
      [{ ...base, messages: [user('x')], thinking: { type: 'enabled' } }, 'thinking.budget_tokens'],
      [{ ...base, messages: [user('x')], thinking: { type: 'enabled', budget_tokens: 10 } }, 'thinking.budget_tokens'],
    ];
    for (const [body, param] of cases) {
      const err = refusal(() => parseMessagesRequest(body));
      expect(err.status, param).toBe(400);
      expect(err.param, JSON.stringify(body)).toBe(param);
      expect(err.message).toContain(param);
    }
  });

  it('lets count_tokens omit max_tokens', () => {
    expect(parseCountTokensRequest({ model: 'm', messages: [user('x')] }).chat.max_tokens).toBeUndefined();
    expect(refusal(() => parseCountTokensRequest({ messages: [user('x')] })).param).toBe('model');
  });
});
