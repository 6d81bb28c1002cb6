import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { EventLine } from '../support/aws-event-stream.js';
import { startMockBedrock, type MockBedrock } from './mock-upstream/bedrock.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * AWS Bedrock Converse end to end: the official openai SDK talks to Baimo, Baimo talks Converse
 * and ConverseStream (binary event-stream) to a mock Bedrock that verifies every SigV4 signature
 * and Bedrock API key, replaying the recorded fixtures (CATALOG.md §5). Embeddings (InvokeModel)
 * are in bedrock-embeddings.test.ts.
 */
const FIX = join(import.meta.dirname, '../fixtures/providers/bedrock');
const fixtureJson = (name: string) => JSON.parse(readFileSync(join(FIX, name), 'utf8'));
const eventLines = (name: string): EventLine[] =>
  readFileSync(join(FIX, name), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EventLine);

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const CLAUDE_PATH = `/model/${encodeURIComponent(CLAUDE)}`;

describe('bedrock provider through the OpenAI surface', () => {
  let bedrock: MockBedrock;
  let gw: TestGateway;

  beforeAll(async () => {
    bedrock = await startMockBedrock({
      region: 'us-east-1',
      credentials: { AKIDBAIMOTEST: { secretAccessKey: 'baimo-test-secret', sessionToken: 'baimo-session' } },
      apiKeys: ['ABSKbaimo-bedrock-key'],
    });
    gw = await startTestGateway(`
providers:
  - name: aws-sigv4
    kind: bedrock
    base_url: "${bedrock.url}"
    region: us-east-1
    aws_access_key_id: "\${AWS_ID}"
    aws_secret_access_key: "\${AWS_SECRET}"
    aws_session_token: "\${AWS_TOKEN}"
  - { name: aws-key, kind: bedrock, base_url: "${bedrock.url}" }
  - { name: bedrock, kind: bedrock, base_url: "${bedrock.url}" }   # serves the built-in catalog's Bedrock models
  - { name: aws-wrong, kind: bedrock, base_url: "${bedrock.url}", region: us-east-1, aws_access_key_id: AKIDBAIMOTEST, aws_secret_access_key: "\${WRONG_SECRET}" }
models:
  - name: claude-bedrock
    capabilities: [chat, tools, vision, reasoning]
    deployments: [{ provider: aws-sigv4, model: "${CLAUDE}" }]
  - name: claude-bedrock-key
    capabilities: [chat]
    deployments: [{ provider: aws-key, model: "${CLAUDE}" }]
  - name: claude-failover
    deployments:
      - { provider: aws-sigv4, model: throttled-first, priority: 0 }
      - { provider: aws-key, model: "${CLAUDE}", priority: 1 }
  - name: claude-throttled
    deployments: [{ provider: aws-sigv4, model: always-throttled }]
  - name: claude-wrong-key
    deployments: [{ provider: aws-wrong, model: "${CLAUDE}" }]
routing: { retries: 1, backoff_base_ms: 1, backoff_max_ms: 5 }
`, { AWS_ID: 'AKIDBAIMOTEST', AWS_SECRET: 'baimo-test-secret', AWS_TOKEN: 'baimo-session', WRONG_SECRET: 'not-the-secret', AWS_BEARER_TOKEN_BEDROCK: 'ABSKbaimo-bedrock-key' });
  });
  afterAll(async () => {
    await gw?.close();
    await bedrock?.close();
  });

  it('non-stream over SigV4: a signed Converse call whose answer maps back', async () => {
    bedrock.enqueue(`${CLAUDE_PATH}/converse`, { kind: 'converse', body: fixtureJson('chat.response.json') });
    const res = await gw.client.chat.completions.create({
      model: 'claude-bedrock',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }],
      max_tokens: 100,
    });
    expect(res.model).toBe('claude-bedrock');
    expect(res.choices[0]!.message.content).toBe('The capital of France is Paris.');
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 10, total_tokens: 31 });
    const sent = bedrock.requests.at(-1)!;
    expect(sent.auth).toBe('sigv4');
    expect(sent.path).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse');
    expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDBAIMOTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(sent.headers['x-amz-security-token']).toBe('baimo-session');
    expect(sent.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 100 },
    });
  });

  it('an Anthropic Messages client (Claude Code style) keeps its prompt-cache breakpoints: cachePoint blocks reach Converse', async () => {
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: gw.server.masterKey, maxRetries: 0 });
    const ephemeral = { type: 'ephemeral' as const };
    const res = await anthropic.messages.create({
      model: 'claude-bedrock',
      max_tokens: 50,
      system: [{ type: 'text', text: 'You are a coding agent.', cache_control: ephemeral }],
      tools: [{ name: 'read_file', input_schema: { type: 'object', properties: { path: { type: 'string' } } }, cache_control: ephemeral }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'ping', cache_control: ephemeral }] }],
    });
    expect(res.content[0]).toMatchObject({ type: 'text', text: 'echo: ping' });
    const point = { cachePoint: { type: 'default' } };
    const sent = bedrock.requests.at(-1)!.body;
    expect(sent.system).toEqual([{ text: 'You are a coding agent.' }, point]);
    expect(sent.messages).toEqual([{ role: 'user', content: [{ text: 'ping' }, point] }]);
    expect(sent.toolConfig.tools).toEqual([{ toolSpec: { name: 'read_file', inputSchema: { json: { type: 'object', properties: { path: { type: 'string' } } } } } }, point]);
  });

  it('non-stream with a Bedrock API key: Bearer auth and no SigV4 headers', async () => {
    const res = await gw.client.chat.completions.create({ model: 'claude-bedrock-key', messages: [{ role: 'user', content: 'ping' }] });
    expect(res.choices[0]!.message.content).toBe('echo: ping');
    const sent = bedrock.requests.at(-1)!;
    expect(sent.auth).toBe('bearer');
    expect(sent.headers.authorization).toBe('Bearer ABSKbaimo-bedrock-key');
    expect(Object.keys(sent.headers).filter((h) => h.startsWith('x-amz-'))).toEqual([]);
  });

  it('built-in catalog: AWS_BEARER_TOKEN_BEDROCK publishes the Bedrock models on provider bedrock, called with Bearer auth', async () => {
    const id = 'anthropic.claude-haiku-4-5-20251001-v1:0';
    const res = await gw.client.chat.completions.create({ model: id, messages: [{ role: 'user', content: 'ping' }] });
    expect(res.choices[0]!.message.content).toBe('echo: ping');
    const sent = bedrock.requests.at(-1)!;
    expect(sent.path).toBe(`/model/${encodeURIComponent(id)}/converse`);
    expect(sent.auth).toBe('bearer');
    expect(sent.headers.authorization).toBe('Bearer ABSKbaimo-bedrock-key');
  });

  it('stream with usage: event-stream frames cut anywhere become OpenAI chunks', async () => {
    bedrock.enqueue(`${CLAUDE_PATH}/converse-stream`, { kind: 'events', lines: eventLines('stream.events.jsonl'), chunkSize: 5 });
    const stream = await gw.client.chat.completions.create({
      model: 'claude-bedrock',
      messages: [{ role: 'user', content: 'Capital of France?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('The capital of France is Paris. 巴黎。');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 });
    const sent = bedrock.requests.at(-1)!;
    expect(sent.path).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream');
    expect(sent.auth).toBe('sigv4');
  });

  it('tools: toolConfig is sent and streamed toolUse fragments come back as tool calls', async () => {
    bedrock.enqueue(`${CLAUDE_PATH}/converse-stream`, { kind: 'events', lines: eventLines('stream-tools.events.jsonl'), chunkSize: 3 });
    const runner = gw.client.chat.completions.stream({
      model: 'claude-bedrock',
      messages: [{ role: 'user', content: 'Weather in Paris and Tokyo?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'required',
    });
    const final = await runner.finalChatCompletion();
    const msg = final.choices[0]!.message;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(msg.tool_calls).toHaveLength(2);
    const [paris, tokyo] = msg.tool_calls!;
    expect(paris).toMatchObject({ id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', function: { name: 'get_weather' } });
    expect(paris!.type === 'function' && JSON.parse(paris!.function.arguments)).toEqual({ city: 'Paris' });
    expect(tokyo!.type === 'function' && JSON.parse(tokyo!.function.arguments)).toEqual({ city: 'Tokyo' });
    expect(bedrock.requests.at(-1)!.body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
      toolChoice: { any: {} },
    });

    // The second turn sends the calls and their results back as toolUse / toolResult blocks.
    await gw.client.chat.completions.create({
      model: 'claude-bedrock',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        msg,
        ...msg.tool_calls!.map((tc) => ({ role: 'tool' as const, tool_call_id: tc.id, content: '21°C' })),
      ],
    });
    const turns = bedrock.requests.at(-1)!.body.messages;
    expect(turns[1].content.at(-1)).toEqual({ toolUse: { toolUseId: 'tooluse_Qm0x9cZ4S1u2pS8mYhH3Ng', name: 'get_weather', input: { city: 'Tokyo' } } });
    expect(turns[2].content[0]).toEqual({ toolResult: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: [{ text: '21°C' }] } });
  });

  it('reasoning: reasoningContent reaches clients as reasoning_content, streamed and not', async () => {
    bedrock.enqueue(`${CLAUDE_PATH}/converse-stream`, { kind: 'events', lines: eventLines('stream-thinking.events.jsonl') });
    const res = await gw.post('/v1/chat/completions', { model: 'claude-bedrock', messages: [{ role: 'user', content: '27 * 453?' }], stream: true, reasoning_effort: 'low' });
    const events = (await res.text()).split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)));
    const reasoning = events.map((e) => e.choices?.[0]?.delta?.reasoning_content ?? '').join('');
    expect(reasoning).toBe('27 * 453: 27 * 400 = 10800, 27 * 53 = 1431, total 12231.');
    const contentAt = events.findIndex((e) => e.choices?.[0]?.delta?.content);
    expect(contentAt).toBeGreaterThan(events.findIndex((e) => e.choices?.[0]?.delta?.reasoning_content));
    expect(JSON.stringify(events)).not.toContain('EqQBCkYIBxgCKkBsig2');
    expect(bedrock.requests.at(-1)!.body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });

    bedrock.enqueue(`${CLAUDE_PATH}/converse`, { kind: 'converse', body: fixtureJson('chat-thinking.response.json') });
    const answer = (await gw.client.chat.completions.create({ model: 'claude-bedrock', messages: [{ role: 'user', content: '27 * 453?' }] })) as any;
    expect(answer.choices[0].message.reasoning_content).toBe('27 * 453: 27 * 400 = 10800, 27 * 53 = 1431, total 12231.');
    expect(answer.choices[0].message.content).toBe('27 × 453 = 12,231.');
  });

  it('a ThrottlingException fails over to the next deployment before any byte is sent', async () => {
    bedrock.enqueue('/model/throttled-first/converse', { kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' });
    const before = bedrock.requests.length;
    const res = await gw.client.chat.completions.create({ model: 'claude-failover', messages: [{ role: 'user', content: 'hello' }] });
    expect(res.choices[0]!.message.content).toBe('echo: hello');
    const paths = bedrock.requests.slice(before).map((r) => r.path);
    expect(paths).toEqual(['/model/throttled-first/converse', `${CLAUDE_PATH}/converse`]);
  });

  it('a ThrottlingException with nowhere to go is a 429 rate_limit_exceeded', async () => {
    const throttle = { kind: 'error' as const, status: 429, type: 'ThrottlingException', message: 'Too many requests to Amazon Bedrock.' };
    bedrock.enqueue('/model/always-throttled/converse', throttle, throttle, throttle);
    const res = await gw.post('/v1/chat/completions', { model: 'claude-throttled', messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(429);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(JSON.stringify(body)).not.toMatch(/bedrock|amazon/i);
  });

  it('a mid-stream throttlingException ends the client stream with an error event', async () => {
    bedrock.enqueue(`${CLAUDE_PATH}/converse-stream`, { kind: 'events', lines: eventLines('stream-error.events.jsonl') });
    const body = await (await gw.post('/v1/chat/completions', { model: 'claude-bedrock', messages: [{ role: 'user', content: 'x' }], stream: true })).text();
    expect(body).toContain('Partial answer');
    const last = JSON.parse(body.trim().split('\n\n').at(-1)!.slice(6));
    expect(last.error).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('a wrong secret is refused by the mock (signature mismatch) and reported as the operator credential failing', async () => {
    const res = await gw.post('/v1/chat/completions', { model: 'claude-wrong-key', messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(502);
    expect(((await res.json()) as any).error.code).toBe('upstream_auth_error');
    expect(bedrock.requests.at(-1)!.auth).toBe('rejected');
  });

  it('the mock refuses what AWS would: 403 with {"message"} and x-amzn-ErrorType', async () => {
    const unsigned = await fetch(`${bedrock.url}${CLAUDE_PATH}/converse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException/);
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
    const badKey = await fetch(`${bedrock.url}${CLAUDE_PATH}/converse`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '{}' });
    expect(badKey.status).toBe(403);
    expect(badKey.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException/);
  });
});
