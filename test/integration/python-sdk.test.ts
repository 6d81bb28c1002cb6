import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { requireService } from '../support/backends.js';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * The official OpenAI and Anthropic **Python** SDKs as external clients (most tenants' code is Python): chat,
 * a stream with usage, tools, embeddings (the Python SDK asks for base64 by default and decodes
 * it), model listing, and errors raised as the SDK's own exception classes. .ci/run installs the
 * SDK (test/python/requirements.txt) into .venv-py; elsewhere set BAIMO_TEST_PYTHON or run
 * `python3 -m venv .venv-py && .venv-py/bin/pip install -r test/python/requirements.txt`.
 */
const SCRIPTS = { openai: resolve('test/python/openai_client.py'), anthropic: resolve('test/python/anthropic_client.py') };

function findPython(): string | undefined {
  const candidates = [process.env.BAIMO_TEST_PYTHON, resolve('.venv-py/bin/python')].filter((p): p is string => !!p && existsSync(p));
  return candidates.find((python) => spawnSync(python, ['-c', 'import openai, anthropic'], { stdio: 'ignore' }).status === 0);
}

function runPython(python: string, script: string, args: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(python, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`python exited ${code}: ${err}`))));
  });
}

const python = findPython();

requireService('the OpenAI and Anthropic Python SDKs', python, 'official openai Python SDK against the running server', () => {
  let chat: MockUpstream;
  let tools: MockUpstream;
  let limited: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    [chat, tools, limited] = await Promise.all([startMockUpstream({ embed: (t) => [t.length, 0.5, -0.25, 1] }), startMockUpstream(), startMockUpstream()]);
    gw = await startTestGateway(`
providers:
  - { name: up, kind: openai-compatible, base_url: "${chat.url}/v1" }
  - { name: tooling, kind: openai-compatible, base_url: "${tools.url}/v1" }
  - { name: busy, kind: openai-compatible, base_url: "${limited.url}/v1" }
models:
  - { name: chat, capabilities: [chat], deployments: [{ provider: up, model: up-chat }] }
  - { name: tools, capabilities: [chat, tools], deployments: [{ provider: tooling, model: up-tools }] }
  - { name: embed, capabilities: [embeddings], deployments: [{ provider: up, model: up-embed }] }
  - { name: limited, capabilities: [chat], deployments: [{ provider: busy, model: up-limited }] }
routing: { retries: 0 }
`);
    tools.enqueue('/chat/completions', {
      kind: 'json',
      body: {
        id: 'chatcmpl-tools',
        object: 'chat.completion',
        created: 1760000000,
        model: 'up-tools',
        choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
      },
    });
    limited.enqueue('/chat/completions', {
      kind: 'json',
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([chat?.close(), tools?.close(), limited?.close()]);
  });

  it('chat, stream, tools, embeddings, models and errors all behave as the SDK expects', async () => {
    const out = JSON.parse(await runPython(python!, SCRIPTS.openai, [`${gw.url}/v1`, MASTER_KEY]));
    expect(out.sdk_version).toMatch(/^\d+\./);
    expect(out.chat).toEqual({ content: 'echo: hello from python', model: 'chat', usage: expect.objectContaining({ total_tokens: expect.any(Number) }) });
    expect(out.raw_headers['x-request-id']).toMatch(/^req_/);
    expect(out.raw_headers['x-baimo-deployment']).toBe('chat#0');
    expect(out.stream.text).toBe('echo: stream it');
    expect(out.stream.chunks).toBeGreaterThan(1);
    expect(out.stream.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(out.tools).toEqual({ finish_reason: 'tool_calls', name: 'get_weather', arguments: { city: 'Paris' } });
    // base64 (the SDK's default) and float give the same numbers.
    expect(out.embeddings).toEqual({ count: 2, dims: 4, first: [3, 0.5, -0.25, 1] });
    expect(out.embeddings_float_first).toEqual([3, 0.5, -0.25, 1]);
    expect(out.errors.unknown_model).toEqual({ status: 404, code: 'model_not_found', type: 'NotFoundError' });
    expect(out.errors.upstream_429).toEqual({ status: 429, retry_after: '7', type: 'RateLimitError' });
    expect(out.errors.bad_request).toMatchObject({ status: 400, param: 'messages', type: 'BadRequestError' });
    expect(out.models).toEqual(['chat', 'embed', 'limited', 'tools']);
    // The base64 request really went upstream as asked, or was converted: either way the client got floats.
    expect(chat.requests.filter((r) => r.path.endsWith('/embeddings'))).toHaveLength(2);
  }, 60_000);

  it('the Anthropic Python SDK: a message, a stream with its event sequence, and NotFoundError', async () => {
    const out = JSON.parse(await runPython(python!, SCRIPTS.anthropic, [gw.url, MASTER_KEY]));
    expect(out.sdk_version).toMatch(/^\d+\./);
    expect(out.message).toMatchObject({ type: 'message', role: 'assistant', text: 'echo: hello from python', stop_reason: 'end_turn', model: 'chat' });
    expect(out.message.usage.input).toBeGreaterThan(0);
    expect(out.stream).toMatchObject({ first: 'message_start', last: 'message_stop', text: 'echo: stream it' });
    expect(out.stream.output_tokens).toBeGreaterThan(0);
    expect(out.unknown_model).toEqual({ status: 404, type: 'not_found_error' });
  }, 60_000);
});

