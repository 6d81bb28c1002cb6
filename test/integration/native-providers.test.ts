import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Native wire formats end to end: the official openai SDK talks to Baimo, Baimo talks Anthropic
 * Messages and Gemini generateContent to mock upstreams that replay the recorded fixtures.
 */
const FIX = join(import.meta.dirname, '../fixtures/providers');
const fixture = (vendor: string, name: string) => readFileSync(join(FIX, vendor, name), 'utf8');
const fixtureJson = (vendor: string, name: string) => JSON.parse(fixture(vendor, name));

describe('native providers through the OpenAI surface', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: claude, kind: anthropic, base_url: "${upstream.url}", api_key: "\${ANTHROPIC_KEY}" }
  - { name: google, kind: gemini, base_url: "${upstream.url}/v1beta", api_key: "\${GEMINI_KEY}" }
models:
  - name: claude-sonnet
    capabilities: [chat, tools, vision, reasoning]
    deployments: [{ provider: claude, model: claude-sonnet-4-5-20250929 }]
  - name: gemini-pro
    capabilities: [chat, tools, vision, json, reasoning]
    deployments: [{ provider: google, model: gemini-3-pro-preview }]
  - name: gemini-embed
    capabilities: [embeddings]
    deployments: [{ provider: google, model: gemini-embedding-001 }]
routing: { retries: 0 }
`, { ANTHROPIC_KEY: 'anthropic-secret', GEMINI_KEY: 'gemini-secret' });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  describe('Anthropic Messages', () => {
    it('non-stream: builds a Messages request with its headers and maps the answer back', async () => {
      upstream.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat.response.json') });
      const res = await gw.client.chat.completions.create({
        model: 'claude-sonnet',
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }],
        max_tokens: 100,
      });
      expect(res.choices[0]!.message.content).toBe('The capital of France is Paris.');
      expect(res.choices[0]!.finish_reason).toBe('stop');
      expect(res.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 10 });
      const sent = upstream.requests.at(-1)!;
      expect(sent.path).toBe('/v1/messages');
      expect(sent.headers['x-api-key']).toBe('anthropic-secret');
      expect(sent.headers['anthropic-version']).toBe('2023-06-01');
      expect(sent.body).toMatchObject({ model: 'claude-sonnet-4-5-20250929', system: 'Be brief.', max_tokens: 100 });
    });

    it('stream with tool use: text, then tool-call argument fragments, then finish tool_calls', async () => {
      upstream.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-tools.sse')] });
      const runner = gw.client.chat.completions.stream({
        model: 'claude-sonnet',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      });
      const final = await runner.finalChatCompletion();
      const msg = final.choices[0]!.message;
      expect(msg.content).toContain('Checking both cities.');
      expect(msg.tool_calls?.[0]).toMatchObject({ id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', function: { name: 'get_weather' } });
      const first = msg.tool_calls![0]!;
      expect(first.type === 'function' && JSON.parse(first.function.arguments)).toEqual({ city: 'Paris' });
      expect(final.choices[0]!.finish_reason).toBe('tool_calls');
      expect(upstream.requests.at(-1)!.body.tools[0]).toMatchObject({ name: 'get_weather', input_schema: { type: 'object' } });
    });

    it('stream with thinking: reasoning arrives as reasoning_content deltas before the answer', async () => {
      upstream.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-thinking.sse')] });
      const res = await gw.post('/v1/chat/completions', { model: 'claude-sonnet', messages: [{ role: 'user', content: 'think' }], stream: true });
      const events = (await res.text()).split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)));
      const reasoningAt = events.findIndex((e) => e.choices?.[0]?.delta?.reasoning_content);
      const contentAt = events.findIndex((e) => e.choices?.[0]?.delta?.content);
      expect(reasoningAt).toBeGreaterThanOrEqual(0);
      expect(contentAt).toBeGreaterThan(reasoningAt);
    });

    it('maps a 529 overload to 503 and a 429 to 429 with retry-after', async () => {
      upstream.enqueue('/v1/messages', { kind: 'json', status: 529, body: fixtureJson('anthropic', 'error-529.json') });
      const overloaded = await gw.post('/v1/chat/completions', { model: 'claude-sonnet', messages: [{ role: 'user', content: 'x' }] });
      expect(overloaded.status).toBe(503);
      expect(((await overloaded.json()) as any).error.code).toBe('overloaded');
    });

    it('ends the client stream with an error event when Anthropic sends one mid-stream', async () => {
      upstream.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-error.sse')] });
      const body = await (await gw.post('/v1/chat/completions', { model: 'claude-sonnet', messages: [{ role: 'user', content: 'x' }], stream: true })).text();
      const last = JSON.parse(body.trim().split('\n\n').at(-1)!.slice(6));
      expect(last.error).toMatchObject({ code: 'overloaded' });
    });
  });

  describe('Gemini', () => {
    it('stream: calls streamGenerateContent with alt=sse and the API key header', async () => {
      upstream.enqueue(':streamGenerateContent?alt=sse', { kind: 'sse', frames: [fixture('gemini', 'stream.sse')] });
      const stream = await gw.client.chat.completions.create({ model: 'gemini-pro', messages: [{ role: 'user', content: 'Capital of France?' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const c of stream) {
        text += c.choices[0]?.delta.content ?? '';
        if (c.usage) usage = c.usage;
      }
      expect(text).toBe('The capital of France is Paris. 巴黎。');
      expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 31 });
      const sent = upstream.requests.at(-1)!;
      expect(sent.path).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
      expect(sent.headers['x-goog-api-key']).toBe('gemini-secret');
      expect(sent.body.contents[0]).toEqual({ role: 'user', parts: [{ text: 'Capital of France?' }] });
    });

    it('tools over two turns: the thought signature the client never saw is replayed to Gemini', async () => {
      upstream.enqueue(':generateContent', { kind: 'json', body: fixtureJson('gemini', 'chat-tools.response.json') });
      const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
      const first = await gw.client.chat.completions.create({ model: 'gemini-pro', messages: [{ role: 'user', content: 'Weather in Paris and Tokyo?' }], tools });
      const msg = first.choices[0]!.message;
      expect(first.choices[0]!.finish_reason).toBe('tool_calls');
      expect(msg.tool_calls).toHaveLength(2);
      expect(JSON.stringify(first)).not.toContain('thoughtSignature');

      upstream.enqueue(':generateContent', { kind: 'json', body: fixtureJson('gemini', 'chat.response.json') });
      await gw.client.chat.completions.create({
        model: 'gemini-pro',
        tools,
        messages: [
          { role: 'user', content: 'Weather in Paris and Tokyo?' },
          msg,
          ...msg.tool_calls!.map((tc) => ({ role: 'tool' as const, tool_call_id: tc.id, content: '{"temp": 21}' })),
        ],
      });
      const modelTurn = upstream.requests.at(-1)!.body.contents[1];
      expect(modelTurn.role).toBe('model');
      expect(modelTurn.parts[0]).toMatchObject({ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBcsjafDkMmlZ0iLYN3aHQbPDm1uvp5RxfLp/fXW5qhNv+5Tc=' });
      const toolTurn = upstream.requests.at(-1)!.body.contents[2];
      expect(toolTurn.parts[0]).toMatchObject({ functionResponse: { name: 'get_weather' } });
    });

    it('maps an array-wrapped 429 with RetryInfo to a 429 with retry-after', async () => {
      upstream.enqueue(':generateContent', { kind: 'json', status: 429, body: fixtureJson('gemini', 'error-429.json') });
      const res = await gw.post('/v1/chat/completions', { model: 'gemini-pro', messages: [{ role: 'user', content: 'x' }] });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeTruthy();
    });

    it('embeds through batchEmbedContents', async () => {
      upstream.enqueue(':batchEmbedContents', { kind: 'json', body: fixtureJson('gemini', 'embeddings.response.json') });
      const res = await gw.client.embeddings.create({ model: 'gemini-embed', input: ['hello', 'world'], encoding_format: 'float' });
      expect(res.data.length).toBeGreaterThan(0);
      expect(res.model).toBe('gemini-embed');
      expect(upstream.requests.at(-1)!.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    });
  });
});
