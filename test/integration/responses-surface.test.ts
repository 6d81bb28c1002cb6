import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectResponsesGrammar, parseResponsesSse, type StreamedEvent } from '../support/responses-events.js';

/**
 * `POST /v1/responses` end to end: the official openai SDK's Responses API against the real
 * server, with mock upstreams speaking each wire format (OpenAI-compatible echo and scripted SSE,
 * DeepSeek-style reasoning, Anthropic Messages, Gemini generateContent) replaying the recorded
 * fixtures. Stored responses, tenants and metering are in responses-tenants.test.ts.
 */
const FIX = join(import.meta.dirname, '../fixtures/providers');
const fixture = (vendor: string, name: string) => readFileSync(join(FIX, vendor, name), 'utf8');
const fixtureJson = (vendor: string, name: string) => JSON.parse(fixture(vendor, name));

const calc: OpenAI.Responses.FunctionTool = { type: 'function', name: 'calc', parameters: { type: 'object', properties: { expr: { type: 'string' } } }, strict: false };
const weather: OpenAI.Responses.FunctionTool = { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false };

/** Every event of a stream, through the SDK's plain `create({stream: true})` iterator. */
async function collect(stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>): Promise<StreamedEvent[]> {
  const events: StreamedEvent[] = [];
  for await (const e of stream) events.push(e as unknown as StreamedEvent);
  return events;
}

describe('Responses surface', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  const lastBody = (suffix: string) => [...upstream.requests].reverse().find((r) => r.path.endsWith(suffix))!.body;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
  - { name: ds, kind: deepseek, base_url: "${upstream.url}/ds", api_key: "ds-secret" }
  - { name: claude, kind: anthropic, base_url: "${upstream.url}", api_key: "anthropic-secret" }
  - { name: google, kind: gemini, base_url: "${upstream.url}/v1beta", api_key: "gemini-secret" }
models:
  - { name: echo, capabilities: [chat, tools, vision, json, reasoning], deployments: [{ provider: up, model: up-echo }] }
  - { name: plain, capabilities: [chat], deployments: [{ provider: up, model: up-plain }] }
  - { name: deepseek, capabilities: [chat, tools, json, reasoning], deployments: [{ provider: ds, model: deepseek-v4-flash }] }
  - { name: claude, capabilities: [chat, tools, vision, reasoning], deployments: [{ provider: claude, model: claude-sonnet-4-5-20250929 }] }
  - { name: gemini, capabilities: [chat, tools, vision, json, reasoning], deployments: [{ provider: google, model: gemini-3-pro-preview }] }
routing: { retries: 0 }
`);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  describe('OpenAI-compatible upstream', () => {
    it('text: instructions become the system message; the answer is a message item with Responses usage; it is stored', async () => {
      const res = await gw.client.responses.create({ model: 'echo', input: 'hello', instructions: 'Be brief.', metadata: { ticket: '7' } });
      expect(res).toMatchObject({ object: 'response', status: 'completed', model: 'echo', instructions: 'Be brief.', metadata: { ticket: '7' } });
      expect(res.id).toMatch(/^resp_/);
      expect(res.output_text).toBe('echo: hello');
      expect(res.output).toEqual([{ type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'echo: hello', annotations: [], logprobs: [] }] }]);
      expect(res.usage).toEqual({ input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 12 });
      const sent = lastBody('/v1/chat/completions');
      expect(sent.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }]);
      expect(sent).not.toHaveProperty('store');
      expect(sent).not.toHaveProperty('metadata');
      expect(await gw.client.responses.retrieve(res.id)).toMatchObject({ id: res.id, status: 'completed', output: res.output });
    });

    it('streaming: the exact event order, sequence numbers 0…n, `event:` lines naming each type, no [DONE]', async () => {
      const raw = await gw.post('/v1/responses', { model: 'echo', input: 'one two', stream: true });
      expect(raw.headers.get('content-type')).toContain('text/event-stream');
      const events = parseResponsesSse(await raw.text());
      expectResponsesGrammar(events);
      expect(events.map((e) => e.type)).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      expect(events.at(-1)!.response).toMatchObject({ status: 'completed', output: [{ content: [{ text: 'echo: one two' }] }] });
    });

    it('streaming through the SDK helper: finalResponse() has the text, and the stored copy matches it', async () => {
      const stream = gw.client.responses.stream({ model: 'echo', input: 'streamed' });
      const deltas: string[] = [];
      stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
      const final = await stream.finalResponse();
      expect(deltas.join('')).toBe('echo: streamed');
      expect(final.output_text).toBe('echo: streamed');
      // Stored before the terminal event was sent: retrievable at once.
      const stored = await gw.client.responses.retrieve(final.id);
      expect(stored.output).toMatchObject(final.output.map(({ id, type }) => ({ id, type })));
      expect(stored.output_text).toBe('echo: streamed');
      expect(stored.status).toBe('completed');
    });

    it('images: input_image reaches the upstream as an image_url part; a model without vision refuses it', async () => {
      const url = 'data:image/png;base64,iVBORw0KGgo=';
      const content: OpenAI.Responses.ResponseInputMessageContentList = [
        { type: 'input_text', text: 'What is in this image?' },
        { type: 'input_image', image_url: url, detail: 'low' },
      ];
      await gw.client.responses.create({ model: 'echo', input: [{ role: 'user', content }] });
      expect(lastBody('/v1/chat/completions').messages[0].content).toEqual([
        { type: 'text', text: 'What is in this image?' },
        { type: 'image_url', image_url: { url, detail: 'low' } },
      ]);
      await expect(gw.client.responses.create({ model: 'plain', input: [{ role: 'user', content }] })).rejects.toMatchObject({
        status: 400,
        code: 'unsupported_parameter',
        param: 'input',
      });
    });

    it('store: false answers normally but keeps nothing', async () => {
      const res = await gw.client.responses.create({ model: 'echo', input: 'forget me', store: false });
      expect((res as unknown as { store: boolean }).store).toBe(false);
      await expect(gw.client.responses.retrieve(res.id)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('tools over several turns (DeepSeek-style upstream)', () => {
    it('function call → output via previous_response_id → another turn; the upstream sees the whole conversation', async () => {
      upstream.enqueue('/ds/chat/completions', { kind: 'sse', frames: [fixture('deepseek', 'stream-tools.sse')] });
      const first = await gw.client.responses.stream({ model: 'deepseek', input: 'What is 2+2? Use calc.', tools: [calc] }).finalResponse();
      expect(first.output).toHaveLength(1);
      expect(first.output[0]).toMatchObject({ type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: 'call_0_x', name: 'calc', arguments: '{"expr":"2+2"}', status: 'completed' });
      expect(first.usage).toMatchObject({ input_tokens: 50, output_tokens: 12 });
      expect(lastBody('/ds/chat/completions').tools).toEqual([{ type: 'function', function: { name: 'calc', parameters: calc.parameters, strict: false } }]);

      const second = await gw.client.responses.create({
        model: 'deepseek',
        previous_response_id: first.id,
        input: [{ type: 'function_call_output', call_id: 'call_0_x', output: '4' }],
        tools: [calc],
      });
      expect(second.output_text).toBe('echo: 4');
      expect(second.previous_response_id).toBe(first.id);
      const turn2 = lastBody('/ds/chat/completions').messages;
      expect(turn2).toEqual([
        { role: 'user', content: 'What is 2+2? Use calc.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_0_x', type: 'function', function: { name: 'calc', arguments: '{"expr":"2+2"}' } }] },
        { role: 'tool', tool_call_id: 'call_0_x', content: '4' },
      ]);

      await gw.client.responses.create({ model: 'deepseek', previous_response_id: second.id, input: 'Thanks!' });
      expect(lastBody('/ds/chat/completions').messages).toEqual([...turn2, { role: 'assistant', content: 'echo: 4' }, { role: 'user', content: 'Thanks!' }]);
    });

    it('the same loop with explicit items and store: false sends the same conversation', async () => {
      upstream.enqueue('/ds/chat/completions', { kind: 'sse', frames: [fixture('deepseek', 'stream-tools.sse')] });
      const question: OpenAI.Responses.ResponseInputItem = { role: 'user', content: 'What is 2+2? Use calc.' };
      const first = await gw.client.responses.stream({ model: 'deepseek', input: [question], tools: [calc], store: false }).finalResponse();
      const second = await gw.client.responses.create({
        model: 'deepseek',
        store: false,
        tools: [calc],
        input: [question, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: 'call_0_x', output: '4' }],
      });
      expect(second.output_text).toBe('echo: 4');
      expect(lastBody('/ds/chat/completions').messages).toEqual([
        { role: 'user', content: 'What is 2+2? Use calc.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_0_x', type: 'function', function: { name: 'calc', arguments: '{"expr":"2+2"}' } }] },
        { role: 'tool', tool_call_id: 'call_0_x', content: '4' },
      ]);
    });

    it('reasoning_content streams as a reasoning summary before the answer, with reasoning tokens in usage', async () => {
      upstream.enqueue('/ds/chat/completions', { kind: 'sse', frames: [fixture('deepseek', 'stream-reasoning.sse')] });
      const events = await collect(await gw.client.responses.create({ model: 'deepseek', input: '2+2?', reasoning: { effort: 'high', summary: 'auto' }, stream: true }));
      expectResponsesGrammar(events);
      expect(events.map((e) => e.type)).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      const done = events.at(-1)!.response as OpenAI.Responses.Response;
      expect(done.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: '2 plus 2 is 4.' }] });
      expect(done.usage).toMatchObject({ output_tokens: 9, output_tokens_details: { reasoning_tokens: 6 } });
      expect(lastBody('/ds/chat/completions').reasoning_effort).toBe('high');
    });
  });

  describe('Anthropic upstream', () => {
    it('thinking stream: reasoning summary then text; chaining replays the signed thinking block', async () => {
      upstream.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-thinking.sse')] });
      const events = await collect(await gw.client.responses.create({ model: 'claude', input: '27 * 453?', stream: true }));
      expectResponsesGrammar(events);
      const done = events.at(-1)!.response as OpenAI.Responses.Response;
      expect(done.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
      expect(done.output[0]).toMatchObject({ summary: [{ text: 'Let me work out 27 * 453. 27 * 453 = 12231.' }] });
      expect(JSON.stringify(events)).not.toContain('EqQBCgIYAhIM');

      upstream.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat.response.json') });
      await gw.client.responses.create({ model: 'claude', previous_response_id: done.id, input: 'And 28 * 453?' });
      const turns = lastBody('/v1/messages').messages;
      expect(turns[1].role).toBe('assistant');
      expect(turns[1].content[0]).toEqual({ type: 'thinking', thinking: 'Let me work out 27 * 453. 27 * 453 = 12231.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' });
    });

    it('tool use: function_call items with the tool_use ids; outputs go back as tool_result blocks', async () => {
      upstream.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat-tools.response.json') });
      const first = await gw.client.responses.create({ model: 'claude', input: 'Weather in Paris and Tokyo?', tools: [weather] });
      expect(first.output.map((o) => o.type)).toEqual(['message', 'function_call', 'function_call']);
      const calls = first.output.filter((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall[];
      expect(calls.map((c) => c.call_id)).toEqual(['toolu_01T1x1fJ34qAmk2tNTrN7Up6', 'toolu_01T1x1fJ34qAmk2tNTrN7Up7']);
      expect(JSON.parse(calls[1]!.arguments)).toEqual({ city: 'Tokyo', unit: 'celsius' });

      upstream.enqueue('/v1/messages', { kind: 'json', body: fixtureJson('anthropic', 'chat.response.json') });
      await gw.client.responses.create({
        model: 'claude',
        previous_response_id: first.id,
        tools: [weather],
        input: calls.map((c) => ({ type: 'function_call_output' as const, call_id: c.call_id, output: '{"temp":21}' })),
      });
      const turns = lastBody('/v1/messages').messages;
      expect(turns.map((t: { role: string }) => t.role)).toEqual(['user', 'assistant', 'user']);
      expect(turns[1].content.map((b: { type: string }) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
      expect(turns[2].content).toEqual(calls.map((c) => ({ type: 'tool_result', tool_use_id: c.call_id, content: '{"temp":21}' })));
    });

    it('an error event mid-stream ends the stream with response.failed; nothing is stored', async () => {
      upstream.enqueue('/v1/messages', { kind: 'sse', frames: [fixture('anthropic', 'stream-error.sse')] });
      const events = await collect(await gw.client.responses.create({ model: 'claude', input: 'x', stream: true }));
      expectResponsesGrammar(events);
      const failed = events.at(-1)!;
      expect(failed.type).toBe('response.failed');
      expect(failed.response).toMatchObject({ status: 'failed', error: { code: 'overloaded' } });
      await expect(gw.client.responses.retrieve((failed.response as { id: string }).id)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('Gemini upstream', () => {
    it('thinking stream: thought parts become the reasoning summary', async () => {
      upstream.enqueue(':streamGenerateContent?alt=sse', { kind: 'sse', frames: [fixture('gemini', 'stream-thinking.sse')] });
      const final = await gw.client.responses.stream({ model: 'gemini', input: "How many r's in raspberry?" }).finalResponse();
      expect(final.output[0]).toMatchObject({ type: 'reasoning', summary: [{ text: expect.stringContaining('r-a-s-p') }] });
      expect(final.output_text).toBe("There are three r's.");
      expect(final.usage).toMatchObject({ output_tokens_details: { reasoning_tokens: 412 } });
    });

    it('parallel calls in a stream; chaining their outputs replays the thought signature the client never saw', async () => {
      upstream.enqueue(':streamGenerateContent?alt=sse', { kind: 'sse', frames: [fixture('gemini', 'stream-tools.sse')] });
      const first = await gw.client.responses.stream({ model: 'gemini', input: 'Weather in Paris and Tokyo?', tools: [weather] }).finalResponse();
      const calls = first.output.filter((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall[];
      expect(calls.map((c) => JSON.parse(c.arguments))).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
      expect(JSON.stringify(first)).not.toContain('thoughtSignature');

      upstream.enqueue(':generateContent', { kind: 'json', body: fixtureJson('gemini', 'chat.response.json') });
      await gw.client.responses.create({
        model: 'gemini',
        previous_response_id: first.id,
        tools: [weather],
        input: calls.map((c) => ({ type: 'function_call_output' as const, call_id: c.call_id, output: '{"temp":21}' })),
      });
      const modelTurn = lastBody(':generateContent').contents[1];
      const paris = modelTurn.parts.find((p: { functionCall?: { args: { city: string } } }) => p.functionCall?.args.city === 'Paris');
      expect(paris.thoughtSignature).toBe('CiQBcsjafDkMmlZ0iLYN3aHQbPDm1uvp5RxfLp/fXW5qhNv+5Tc=');
    });
  });

  describe('errors keep their status and OpenAI shape', () => {
    it('an upstream 429 with retry-after stays a 429 with retry-after', async () => {
      upstream.enqueue('/v1/chat/completions', {
        kind: 'json',
        status: 429,
        headers: { 'retry-after': '7' },
        body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
      });
      const err = await gw.client.responses.create({ model: 'echo', input: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
      expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');
    });

    it.each([
      { label: 'an unknown model', body: { model: 'nope', input: 'x' }, status: 404, code: 'model_not_found', param: 'model' },
      { label: 'a built-in tool', body: { model: 'echo', input: 'x', tools: [{ type: 'web_search' }] }, status: 400, code: 'unsupported_parameter', param: 'tools[0].type' },
      { label: 'an unknown previous response', body: { model: 'echo', input: 'x', previous_response_id: 'resp_missing' }, status: 400, code: 'previous_response_not_found', param: 'previous_response_id' },
      { label: 'reasoning effort on a model without reasoning', body: { model: 'plain', input: 'x', reasoning: { effort: 'high' } }, status: 400, code: 'unsupported_parameter', param: 'reasoning.effort' },
      { label: 'tools on a model without tools', body: { model: 'plain', input: 'x', tools: [{ type: 'function', name: 'f' }] }, status: 400, code: 'unsupported_parameter', param: 'tools' },
      { label: 'an image by file id', body: { model: 'echo', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }, status: 400, code: 'unsupported_parameter', param: 'input[0].content[0].file_id' },
    ])('$label → $status $code', async ({ body, status, code, param }) => {
      const res = await gw.post('/v1/responses', body);
      expect(res.status).toBe(status);
      expect((await res.json()) as unknown).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param, code } });
    });

    it('an unknown stored response is a 404 on retrieve and delete', async () => {
      await expect(gw.client.responses.retrieve('resp_missing')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(gw.client.responses.delete('resp_missing')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    });
  });
});
