import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Request bodies in the request log, through the real server: kept (redacted) only for orgs that
 * opted in, for JSON answers and for streamed ones alike, and never for other orgs.
 */
describe('request log bodies (opt-in per org)', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  let loggedKey: string;
  let quietKey: string;

  const admin = async (method: string, path: string, body?: unknown) => (await gw.admin(method, path, body)).body;
  const logOf = async (requestId: string) => {
    await gw.server.flushUsage();
    return admin('GET', `/admin/v1/logs/${requestId}`);
  };

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  - { name: chat, capabilities: [chat], deployments: [{ provider: up, model: up-chat }] }
`);
    const logged = await admin('POST', '/admin/v1/orgs', { name: 'logged' });
    await admin('PATCH', `/admin/v1/orgs/${logged.id}`, { log_bodies: true });
    loggedKey = (await admin('POST', `/admin/v1/orgs/${logged.id}/keys`, { name: 'k' })).key;
    const quiet = await admin('POST', '/admin/v1/orgs', { name: 'quiet' });
    quietKey = (await admin('POST', `/admin/v1/orgs/${quiet.id}/keys`, { name: 'k' })).key;
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('keeps the JSON request and answer, with a pasted secret redacted', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: loggedKey, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'my key is sk-live-0123456789abcdef' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toContain('echo:');
    const log = await logOf(response.headers.get('x-request-id')!);
    expect(log.request_body).toContain('sk-[REDACTED]');
    expect(log.request_body).not.toContain('0123456789abcdef');
    expect(JSON.parse(log.response_body).choices[0].message.content).toContain('echo:');
  });

  it('keeps a streamed answer as the client received it', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: loggedKey, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'stream me' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain('stream me');
    const log = await logOf(response.headers.get('x-request-id')!);
    expect(log.stream).toBe(true);
    expect(log.response_body).toMatch(/^data: \{/);
    expect(log.response_body).toContain('"usage"');
    expect(log.response_body.trimEnd()).toMatch(/data: \[DONE\]$/);
    // Every content delta the client saw is in the logged copy.
    const logged = log.response_body
      .split('\n')
      .filter((l: string) => l.startsWith('data: {'))
      .map((l: string) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? '')
      .join('');
    expect(logged).toBe(text);
  });

  it('keeps no body for an org that did not opt in, streamed or not', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: quietKey, maxRetries: 0 });
    const plain = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    const streamed = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello' }], stream: true }).withResponse();
    for await (const _ of streamed.data) void _;
    for (const res of [plain.response, streamed.response]) {
      const log = await logOf(res.headers.get('x-request-id')!);
      expect(log).toMatchObject({ request_body: null, response_body: null });
    }
  });
});
