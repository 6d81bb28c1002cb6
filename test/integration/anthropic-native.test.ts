import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { json, MASTER_KEY, startTestGateway, type TestGateway } from '../support/gateway.js';
import { checkEventOrder, parseSse } from '../support/anthropic-events.js';

/**
 * The Anthropic Messages surface over native upstreams: an Anthropic deployment receives the
 * client's body as given (model replaced) and its answers come back as they were sent; a Gemini
 * deployment is translated through the canonical form; a model with both fails over across them.
 */
const FIX = join(import.meta.dirname, '../fixtures/providers');
const fixture = (vendor: string, name: string) => readFileSync(join(FIX, vendor, name), 'utf8');
const fixtureJson = (vendor: string, name: string) => JSON.parse(fixture(vendor, name));
const UPSTREAM_CLAUDE = 'claude-sonnet-4-5-20250929';
const weatherTool: Anthropic.Tool = { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };

describe('Anthropic Messages surface over Anthropic and Gemini upstreams', () => {
  let claude: MockUpstream;
  let google: MockUpstream;
  let oai: MockUpstream;
  let gw: TestGateway;
  let client: Anthropic;
  const raw = async (params: Anthropic.MessageCreateParamsStreaming) => parseSse(await (await client.messages.create(params).asResponse()).text());

  beforeAll(async () => {
    [claude, google, oai] = await Promise.all([startMockUpstream(), startMockUpstream(), startMockUpstream()]);
    gw = await startTestGateway(`
providers:
  - { name: claude, kind: anthropic, base_url: "${claude.url}", api_key: "\${ANTHROPIC_KEY}" }
  - { name: google, kind: gemini, base_url: "${google.url}/v1beta", api_key: "\${GEMINI_KEY}" }
  - { name: vllm, kind: openai-compatible, base_url: "${oai.url}/v1" }
models:
  - { name: claude-sonnet, capabilities: [chat, tools, vision, reasoning], deployments: [{ provider: claude, model: ${UPSTREAM_CLAUDE} }] }
  - { name: claude-errors, capabilities: [chat], deployments: [{ provider: claude, model: ${UPSTREAM_CLAUDE} }] }
  - { name: claude-metered, capabilities: [chat], price: { input: 1000, output: 1000 }, deployments: [{ provider: claude, model: ${UPSTREAM_CLAUDE} }] }
  - { name: claude-cached, capabilities: [chat], price: { input: 1000, output: 1000, cached_input: 100, cache_write: 1250 }, deployments: [{ provider: claude, model: ${UPSTREAM_CLAUDE} }] }
  - { name: gemini-pro, capabilities: [chat, tools, vision, reasoning], deployments: [{ provider: google, model: gemini-3-pro-preview }] }
  - name: mixed
    capabilities: [chat]
    deployments:
      - { provider: claude, model: ${UPSTREAM_CLAUDE}, priority: 0 }
      - { provider: vllm, model: backup, priority: 1 }
routing: { retries: 1, backoff_base_ms: 1, backoff_max_ms: 5 }
`, { ANTHROPIC_KEY: 'anthropic-secret', GEMINI_KEY: 'gemini-secret' });
    client = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([claude?.close(), google?.close(), oai?.close()]);
  });

  describe('Anthropic deployment: native passthrough', () => {
    it('sends the client body as given, model replaced, with the deployment key; the answer comes back renamed', async () => {
      claude.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat.response.json') });
      const params = {
        model: 'claude-sonnet',
        max_tokens: 100,
        system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const } }],
        messages: [{ role: 'user' as const, content: [{ type: 'document' as const, source: { type: 'text' as const, media_type: 'text/plain' as const, data: 'Paris is in France.' } }, { type: 'text' as const, text: 'Capital of France?' }] }],
        metadata: { user_id: 'u-1' },
      };
      const msg = await client.messages.create({ ...params, service_tier: 'auto' });
      expect(msg).toEqual({ ...fixtureJson('anthropic', 'chat.response.json'), model: 'claude-sonnet' });
      const sent = claude.requests.at(-1)!;
      expect(sent.path).toBe('/v1/messages');
      expect(sent.body).toEqual({ ...params, service_tier: 'auto', model: UPSTREAM_CLAUDE });
      expect(sent.headers['x-api-key']).toBe('anthropic-secret');
      expect(sent.headers['anthropic-version']).toBe('2023-06-01');
      expect(sent.headers.authorization).toBeUndefined();
    });

    it('relays the upstream stream event for event, model renamed', async () => {
      claude.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream.sse')] });
      const events = await raw({ model: 'claude-sonnet', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] });
      const upstreamEvents = parseSse(fixture('anthropic', 'stream.sse'));
      expect(events.map((e) => e.event)).toEqual(upstreamEvents.map((e) => e.event));
      expect(events.slice(1).map((e) => e.data)).toEqual(upstreamEvents.slice(1).map((e) => e.data));
      expect(events[0]!.data.message.model).toBe('claude-sonnet');
      expect(checkEventOrder(events).blocks).toEqual(['text']);
    });

    it('tools and thinking over two turns, the signed thinking block and tool_result passed back natively', async () => {
      claude.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-tools.sse')] });
      const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris and Tokyo?' };
      const first = await client.messages.stream({ model: 'claude-sonnet', max_tokens: 200, tools: [weatherTool], messages: [question] }).finalMessage();
      expect(first.stop_reason).toBe('tool_use');
      expect(first.content.filter((b) => b.type === 'tool_use').map((b) => b.input)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);

      claude.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-thinking.sse')] });
      const results: Anthropic.ContentBlockParam[] = first.content
        .filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
        .map((b) => ({ type: 'tool_result', tool_use_id: b.id, content: '20°C' }));
      const history: Anthropic.MessageParam[] = [question, { role: 'assistant', content: first.content }, { role: 'user', content: results }];
      const second = await client.messages.stream({ model: 'claude-sonnet', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [weatherTool], messages: history }).finalMessage();
      expect(second.content[0]).toMatchObject({ type: 'thinking', thinking: 'Let me work out 27 * 453. 27 * 453 = 12231.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' });
      expect(second.content[1]).toMatchObject({ type: 'text', text: '27 × 453 = 12,231.' });
      const sent = claude.requests.at(-1)!.body;
      expect(sent.messages).toEqual(JSON.parse(JSON.stringify(history)));
      expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    });

    it('ends the stream with an Anthropic error event when the upstream fails mid-stream', async () => {
      claude.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-error.sse')] });
      const events = await raw({ model: 'claude-errors', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] });
      expect(checkEventOrder(events).ended).toBe('error');
      expect(events.at(-1)!.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'The upstream is overloaded; retry later.' } });
      claude.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-error.sse')] });
      const err = await client.messages.stream({ model: 'claude-errors', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).type).toBe('overloaded_error');
    });

    it('maps an upstream 429 to RateLimitError with its retry-after', async () => {
      const meta = fixtureJson('anthropic', 'error-429.meta.json');
      claude.enqueue('/v1/messages', { kind: 'json', status: 429, headers: meta.headers, body: fixtureJson('anthropic', 'error-429.json') });
      const err = (await client.messages.create({ model: 'claude-errors', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)) as APIError;
      expect(err).toBeInstanceOf(Anthropic.RateLimitError);
      expect(err.headers?.get('retry-after')).toBe('27');
      expect(JSON.stringify(err.error)).not.toContain('2f4f5b0e');
    });

    it('forwards the client’s anthropic-beta flags to the Anthropic deployment (messages and count_tokens), and refuses a malformed header', async () => {
      const betas = 'interleaved-thinking-2025-05-14, context-1m-2025-08-07';
      claude.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat.response.json') });
      await client.messages.create({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'anthropic-beta': betas } });
      expect(claude.requests.at(-1)!.headers['anthropic-beta']).toBe(betas);
      claude.enqueue('/v1/messages/count_tokens', { kind: 'json', body: { input_tokens: 3 } });
      await client.messages.countTokens({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'anthropic-beta': 'token-counting-2024-11-01' } });
      expect(claude.requests.at(-1)!.headers['anthropic-beta']).toBe('token-counting-2024-11-01');
      // Without the header nothing is invented.
      claude.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat.response.json') });
      await client.messages.create({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
      expect(claude.requests.at(-1)!.headers['anthropic-beta']).toBeUndefined();
      const bad = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': MASTER_KEY, 'content-type': 'application/json', 'anthropic-beta': 'ok-flag, bad flag; drop table' },
        body: JSON.stringify({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(bad.status).toBe(400);
      expect((await json(bad)).error).toMatchObject({ type: 'invalid_request_error' });
    });

    it('counts tokens with the deployment’s count_tokens endpoint', async () => {
      claude.enqueue('/v1/messages/count_tokens', { kind: 'json', body: { input_tokens: 42 } });
      const counted = await client.messages.countTokens({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
      expect(counted.data).toEqual({ input_tokens: 42 });
      expect(counted.response.headers.get('x-baimo-token-count')).toBe('upstream');
      expect(claude.requests.at(-1)!.body).toEqual({ model: UPSTREAM_CLAUDE, messages: [{ role: 'user', content: 'hello' }] });

      claude.enqueue('/v1/messages/count_tokens', { kind: 'json', status: 500, body: fixtureJson('anthropic', 'error-500.json') });
      const fallback = await client.messages.countTokens({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
      expect(fallback.response.headers.get('x-baimo-token-count')).toBe('estimate');
      expect(fallback.data.input_tokens).toBeGreaterThan(0);
    });

    it('meters the usage the upstream reported, stream and non-stream', async () => {
      claude.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat.response.json') }, { kind: 'sse', frames: [fixture('anthropic', 'stream.sse')] });
      await client.messages.create({ model: 'claude-metered', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
      await client.messages.stream({ model: 'claude-metered', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage();
      await gw.server.flushUsage();
      const usage = await json(await fetch(`${gw.url}/admin/v1/usage?group_by=model`, { headers: { authorization: `Bearer ${MASTER_KEY}` } }));
      const row = usage.data.find((r: { model: string }) => r.model === 'claude-metered');
      expect(row).toMatchObject({ requests: 2, input_tokens: 21 + 25, output_tokens: 10 + 15 });
      expect(row.cost).toBeCloseTo((46 + 25) / 1000, 9);
    });

    it('bills prompt-cache reads at cached_input and cache writes at cache_write', async () => {
      const answer = fixtureJson('anthropic', 'chat.response.json');
      answer.usage = { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 200, cache_creation_input_tokens: 300 };
      claude.enqueue('/v1/messages', { kind: 'json', body: answer });
      const res = await client.messages.create({ model: 'claude-cached', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
      expect(res.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 200, cache_creation_input_tokens: 300 });
      await gw.server.flushUsage();
      const usage = await json(await fetch(`${gw.url}/admin/v1/usage?group_by=model`, { headers: { authorization: `Bearer ${MASTER_KEY}` } }));
      const row = usage.data.find((r: { model: string }) => r.model === 'claude-cached');
      expect(row).toMatchObject({ requests: 1, input_tokens: 510, cached_tokens: 200, output_tokens: 5 });
      // (10 fresh × 1000 + 200 read × 100 + 300 written × 1250 + 5 out × 1000) per 1M.
      expect(row.cost).toBeCloseTo((10 * 1000 + 200 * 100 + 300 * 1250 + 5 * 1000) / 1e6, 9);
    });
  });

  describe('Gemini deployment: translated', () => {
    it('text stream in Anthropic events, thinking block first', async () => {
      google.enqueue(':streamGenerateContent?alt=sse', { kind: 'sse', frames: [fixture('gemini', 'stream-thinking.sse')] });
      const events = await raw({ model: 'gemini-pro', max_tokens: 500, thinking: { type: 'enabled', budget_tokens: 20000 }, stream: true, messages: [{ role: 'user', content: "r's in raspberry?" }] });
      expect(checkEventOrder(events).blocks).toEqual(['thinking', 'text']);
      expect(events.find((e) => e.data.delta?.type === 'text_delta')!.data.delta.text).toBe("There are three r's.");
      expect(events.at(-2)!.data.usage).toMatchObject({ output_tokens: 419, cache_read_input_tokens: 4 });
      const sent = google.requests.at(-1)!.body;
      expect(sent.generationConfig).toMatchObject({ maxOutputTokens: 500, thinkingConfig: { thinkingLevel: 'high', includeThoughts: true } });
    });

    it('tools over two turns: the thought signature the Anthropic client never saw is replayed to Gemini', async () => {
      google.enqueue(':generateContent', { kind: 'json', body: fixtureJson('gemini', 'chat-tools.response.json') });
      const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris and Tokyo?' };
      const first = await client.messages.create({ model: 'gemini-pro', max_tokens: 200, tools: [weatherTool], messages: [question] });
      expect(first.stop_reason).toBe('tool_use');
      const uses = first.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      expect(uses.map((u) => u.input)).toEqual([{ city: 'Paris' }, { city: 'Tokyo', unit: 'celsius' }]);
      expect(JSON.stringify(first)).not.toContain('thoughtSignature');

      google.enqueue(':generateContent', { kind: 'json', body: fixtureJson('gemini', 'chat.response.json') });
      const second = await client.messages.create({
        model: 'gemini-pro',
        max_tokens: 200,
        tools: [weatherTool],
        messages: [question, { role: 'assistant', content: first.content }, { role: 'user', content: uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: '{"temp": 21}' })) }],
      });
      expect(second.content[0]).toMatchObject({ type: 'text' });
      const [, modelTurn, toolTurn] = google.requests.at(-1)!.body.contents;
      expect(modelTurn.parts[0]).toMatchObject({ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBcsjafDkMmlZ0iLYN3aHQbPDm1uvp5RxfLp/fXW5qhNv+5Tc=' });
      expect(toolTurn.parts[0]).toMatchObject({ functionResponse: { name: 'get_weather' } });
    });
  });

  it('fails over across families: an overloaded Anthropic deployment, then the OpenAI-compatible one serves', async () => {
    claude.enqueue('/v1/messages', { kind: 'json', status: 529, body: fixtureJson('anthropic', 'error-529.json') });
    const claudeCalls = claude.requests.length;
    const res = await client.messages.create({ model: 'mixed', max_tokens: 10, messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    expect(res.data).toMatchObject({ type: 'message', model: 'mixed', content: [{ type: 'text', text: 'echo: hello' }] });
    expect(res.response.headers.get('x-baimo-deployment')).toBe('mixed#1');
    expect(claude.requests.length).toBe(claudeCalls + 1);
    expect(oai.requests.at(-1)!.body).toMatchObject({ model: 'backup', messages: [{ role: 'user', content: 'hello' }] });

    const counted = await client.messages.countTokens({ model: 'gemini-pro', messages: [{ role: 'user', content: 'hello world' }] }).withResponse();
    expect(counted.data.input_tokens).toBeGreaterThan(0);
    expect(counted.response.headers.get('x-baimo-token-count')).toBe('estimate');
  });
});
