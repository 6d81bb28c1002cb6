import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { json, MASTER_KEY, startTestGateway, type TestGateway } from '../support/gateway.js';
import { checkEventOrder, parseSse } from '../support/anthropic-events.js';

/**
 * The Anthropic Messages surface end to end over an OpenAI-compatible upstream: the official
 * @anthropic-ai/sdk talks to Baimo, Baimo translates to the canonical form and back (the mock's
 * echo answer, or scripted chat-completion chunks for tools and reasoning).
 */
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const usageChunk = (prompt: number, completion: number) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } })}\n\n`;
const toolCallJson = (id: string, name: string, args: string) => ({
  id: 'chatcmpl-t',
  object: 'chat.completion',
  created: 1,
  model: 'up',
  choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name, arguments: args } }] }, finish_reason: 'tool_calls' }],
  usage: { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 },
});

const weatherTool: Anthropic.Tool = { name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };

let upstream: MockUpstream;
let gw: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gw = await startTestGateway(`
providers:
  - { name: vllm, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  - { name: qwen, capabilities: [chat, tools, vision, reasoning], price: { input: 1000, output: 1000 }, deployments: [{ provider: vllm, model: Qwen/Qwen3-8B }] }
  - { name: text-only, capabilities: [chat], deployments: [{ provider: vllm, model: small }] }
  - { name: priced, capabilities: [chat], price: { input: 1000, output: 1000 }, deployments: [{ provider: vllm, model: up-priced }] }
  - { name: throttled, capabilities: [chat], deployments: [{ provider: vllm, model: up-throttled }] }
routing: { retries: 0 }
`);
  client = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0, timeout: 20_000 });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

describe('Anthropic Messages surface over an OpenAI-compatible upstream', () => {
  it('text: system, max_tokens and sampling reach the upstream; the answer is a Messages message under the public name', async () => {
    // The 2026 SDK types no longer list the sampling fields; older clients (and the API) still send them.
    const sampling = { temperature: 0.3, top_k: 40 };
    const msg = await client.messages.create({
      model: 'qwen',
      max_tokens: 50,
      system: 'Be brief.',
      ...sampling,
      stop_sequences: ['END'],
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(msg).toMatchObject({ type: 'message', role: 'assistant', model: 'qwen', stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 7 } });
    expect(msg.content).toEqual([{ type: 'text', text: 'echo: hello' }]);
    expect(msg.id).toMatch(/^msg_/);
    expect(msg._request_id).toBeTruthy();
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body).toMatchObject({
      model: 'Qwen/Qwen3-8B',
      max_tokens: 50,
      temperature: 0.3,
      top_k: 40,
      stop: ['END'],
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }],
    });
  });

  it('accepts a bearer key as well as x-api-key', async () => {
    const bearer = new Anthropic({ baseURL: gw.url, apiKey: null, authToken: MASTER_KEY, maxRetries: 0 });
    const msg = await bearer.messages.create({ model: 'qwen', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'echo: hi' });
  });

  it('streaming: the exact event sequence of CATALOG.md §3, and the SDK assembles the message', async () => {
    const res = await client.messages.create({ model: 'qwen', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'one two three' }] }).asResponse();
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      ...Array(4).fill('content_block_delta'), // 'echo: ', 'one ', 'two ', 'three'
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(checkEventOrder(events)).toEqual({ blocks: ['text'], ended: 'message_stop' });
    expect(events[0]!.data.message.model).toBe('qwen');
    expect(events.at(-2)!.data.usage).toMatchObject({ input_tokens: 5, output_tokens: 7 });

    const final = await client.messages.stream({ model: 'qwen', max_tokens: 50, messages: [{ role: 'user', content: 'one two three' }] }).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'echo: one two three' }]);
    expect(final.usage).toMatchObject({ input_tokens: 5, output_tokens: 7 });
    expect(upstream.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('tools over several turns: tool_use out, tool_result back, as tool_calls and tool messages upstream', async () => {
    const tools = [weatherTool];
    upstream.enqueue('/v1/chat/completions', {
      kind: 'sse',
      frames: [
        chunk({ role: 'assistant', content: 'Checking.' }),
        chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        chunk({}, 'tool_calls'),
        usageChunk(20, 8),
        'data: [DONE]\n\n',
      ],
    });
    const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris, then Tokyo?' };
    const first = await client.messages.stream({ model: 'qwen', max_tokens: 100, tools, tool_choice: { type: 'auto' }, messages: [question] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(upstream.requests.at(-1)!.body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: weatherTool.input_schema } }],
      tool_choice: 'auto',
    });

    upstream.enqueue('/v1/chat/completions', { kind: 'json', body: toolCallJson('call_2', 'get_weather', '{"city":"Tokyo"}') });
    const history: Anthropic.MessageParam[] = [
      question,
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '21°C' }] },
    ];
    const second = await client.messages.create({ model: 'qwen', max_tokens: 100, tools, messages: history });
    expect(second.content).toEqual([{ type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Tokyo' } }]);
    expect(upstream.requests.at(-1)!.body.messages.slice(1)).toEqual([
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '21°C' },
    ]);

    const third = await client.messages.create({
      model: 'qwen',
      max_tokens: 100,
      tools,
      messages: [
        ...history,
        { role: 'assistant', content: second.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '18°C' }] }, { type: 'text', text: 'Summarise.' }] },
      ],
    });
    expect(third.content[0]).toMatchObject({ type: 'text' });
    expect(upstream.requests.at(-1)!.body.messages.slice(-3)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '18°C' }] },
      { role: 'user', content: [{ type: 'text', text: 'Summarise.' }] },
    ]);
  });

  it('images: base64 and url sources become image_url parts; a model without vision refuses with a 400', async () => {
    const content: Anthropic.ContentBlockParam[] = [
      { type: 'text', text: 'Compare.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ];
    await client.messages.create({ model: 'qwen', max_tokens: 10, messages: [{ role: 'user', content }] });
    expect(upstream.requests.at(-1)!.body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare.' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
    ]);
    const refused = await client.messages.create({ model: 'text-only', max_tokens: 10, messages: [{ role: 'user', content }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect((refused as APIError).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('image input') } });
  });

  it('thinking: reasoning_effort upstream, reasoning deltas back as a thinking block before the text', async () => {
    upstream.enqueue('/v1/chat/completions', {
      kind: 'sse',
      frames: [
        chunk({ role: 'assistant', reasoning_content: 'Count the r' }),
        chunk({ reasoning_content: "'s: three." }),
        chunk({ content: 'Three.' }),
        chunk({}, 'stop'),
        usageChunk(12, 30),
        'data: [DONE]\n\n',
      ],
    });
    const res = await client.messages
      .create({ model: 'qwen', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2048 }, stream: true, messages: [{ role: 'user', content: 'r in raspberry?' }] })
      .asResponse();
    const events = parseSse(await res.text());
    expect(checkEventOrder(events).blocks).toEqual(['thinking', 'text']);
    expect(events.filter((e) => e.data.delta?.type === 'thinking_delta').map((e) => e.data.delta.thinking).join('')).toBe("Count the r's: three.");
    expect(upstream.requests.at(-1)!.body.reasoning_effort).toBe('low');
  });

  it('a reasoning answer given back in history reaches the upstream as reasoning, the signature-less block accepted', async () => {
    await client.messages.create({
      model: 'qwen',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: '' }, { type: 'text', text: 'a' }] },
        { role: 'user', content: 'and?' },
      ],
    });
    expect(upstream.requests.at(-1)!.body.messages[1]).toEqual({ role: 'assistant', content: 'a' });
  });
});

describe('Anthropic Messages surface: errors, limits and metering', () => {
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gw.url}${path}`, { method, headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return json(res);
  };
  const newKey = async (name: string, extra: Record<string, unknown> = {}) => {
    const org = await admin('POST', '/admin/v1/orgs', { name });
    const key = await admin('POST', `/admin/v1/orgs/${org.id}/keys`, { name, ...extra });
    return { orgId: org.id as string, key: key.key as string };
  };
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: unknown) => e as APIError);

  it('upstream 429 → RateLimitError with retry-after', async () => {
    upstream.enqueue('/v1/chat/completions', { kind: 'json', status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' } } });
    const err = await failure(client.messages.create({ model: 'throttled', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.headers?.get('retry-after')).toBe('7');
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('a bad parameter → BadRequestError whose message names it; an unknown model → NotFoundError; a bad key → AuthenticationError', async () => {
    const tooHot = { temperature: 3 };
    const bad = await failure(client.messages.create({ model: 'priced', max_tokens: 10, ...tooHot, messages: [{ role: 'user', content: 'x' }] }));
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect(bad.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining("'temperature'") } });
    const missing = await failure(client.messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }));
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect(missing.error).toMatchObject({ error: { type: 'not_found_error' } });
    const stranger = new Anthropic({ baseURL: gw.url, apiKey: 'sk-bm-wrong', maxRetries: 0 });
    const denied = await failure(stranger.messages.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }));
    expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(denied.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('refuses what the model cannot be given (a server tool on a translated model) with a 400 naming it, before any upstream call', async () => {
    const sent = upstream.requests.length;
    const err = await failure(client.messages.create({ model: 'priced', max_tokens: 10, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(err.message).toContain('tools[0]');
    expect(upstream.requests.length).toBe(sent);
  });

  it('answers malformed JSON and unknown /v1/messages routes in Anthropic’s error shape; other routes keep OpenAI’s', async () => {
    const malformed = await gw.post('/v1/messages', '{"model":', { 'anthropic-version': '2023-06-01' });
    expect(malformed.status).toBe(400);
    expect(await json(malformed)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const unknown = await gw.post('/v1/messages/batches', {});
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const openai = await gw.post('/v1/chat/completions', '{"model":');
    expect(await json(openai)).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('meters usage and applies key limits exactly as the OpenAI surface does', async () => {
    const viaMessages = await newKey('messages-surface');
    const viaChat = await newKey('chat-surface');
    const tenant = new Anthropic({ baseURL: gw.url, apiKey: viaMessages.key, maxRetries: 0 });
    await tenant.messages.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    await tenant.messages.stream({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    for (const stream of [false, true]) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${viaChat.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'priced', max_tokens: 10, stream, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.text();
    }
    await gw.server.flushUsage();
    const usageOf = async (orgId: string) => (await admin('GET', `/admin/v1/usage?group_by=model&org_id=${orgId}`)).totals;
    const messagesTotals = await usageOf(viaMessages.orgId);
    expect(messagesTotals).toMatchObject({ requests: 2, input_tokens: 10, output_tokens: 14 });
    expect(messagesTotals.cost).toBeCloseTo(2 * 0.012, 9);
    expect(await usageOf(viaChat.orgId)).toEqual(messagesTotals);

    const limited = await newKey('messages-rpm', { rpm: 1 });
    const slow = new Anthropic({ baseURL: gw.url, apiKey: limited.key, maxRetries: 0 });
    await slow.messages.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const refused = await failure(slow.messages.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(0);
  });
});
