import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { FAST_TIMEOUTS, startTestGateway, type TestGateway, json } from '../support/gateway.js';

/**
 * Failover and faults against two real mock upstreams: the first deployment misbehaves, the
 * second is healthy. The client must see exactly one clean answer when a retry is allowed
 * (before the first byte), and an OpenAI-style error event when it is not (after it).
 */
describe('failover and upstream faults', () => {
  let primary: MockUpstream;
  let backup: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    primary = await startMockUpstream();
    backup = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: primary, kind: openai-compatible, base_url: "${primary.url}/v1", timeouts: ${FAST_TIMEOUTS} }
  - { name: backup, kind: openai-compatible, base_url: "${backup.url}/v1", timeouts: ${FAST_TIMEOUTS} }
models:
  - name: m
    capabilities: [chat]
    deployments:
      - { provider: primary, model: up-primary, priority: 0 }
      - { provider: backup, model: up-backup, priority: 1 }
  - name: solo
    capabilities: [chat]
    deployments:
      - { provider: primary, model: up-solo }
routing: { strategy: priority-weighted, retries: 2, backoff_base_ms: 20, backoff_max_ms: 200, failure_threshold: 100, cooldown_ms: 1000 }
`);
  });
  afterEach(() => {
    primary.requests.length = 0;
    backup.requests.length = 0;
  });
  afterAll(async () => {
    await gw?.close();
    await primary?.close();
    await backup?.close();
  });

  const ask = (stream = false) =>
    gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream });

  it('first deployment answers 503 → the second serves, the client sees one 200', async () => {
    primary.enqueue('/chat/completions', { kind: 'json', status: 503, body: { error: { message: 'overloaded', type: 'server_error', code: null } } });
    const res = await ask();
    expect(res.status).toBe(200);
    expect((await json(res)).choices[0].message.content).toBe('echo: hi');
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(1);
    expect(backup.requests[0]!.body.model).toBe('up-backup');
  });

  it('first deployment hangs before the first byte → times out and the second serves', async () => {
    primary.enqueue('/chat/completions', { kind: 'hang' });
    const started = Date.now();
    const res = await ask();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(backup.requests).toHaveLength(1);
    await primary.waitForAborts(1);
  });

  it('a stream whose upstream resets before any event fails over too', async () => {
    primary.enqueue('/chat/completions', { kind: 'reset' });
    const stream = await gw.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x y' }], stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: x y');
    expect(backup.requests).toHaveLength(1);
  });

  it('an upstream reset mid-stream ends the client stream with an error event (no retry after the first byte)', async () => {
    const frame = (content: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    // The gap lets the first events reach the client before the reset (else it is a pre-commit failure, retried).
    primary.enqueue('/chat/completions', { kind: 'sse', frames: [frame('Hel'), frame('lo'), frame('never')], resetAfter: 2, delayMs: 100 });
    const res = await ask(true);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('"content":"Hel"');
    expect(body).toContain('"content":"lo"');
    const last = body.trim().split('\n\n').at(-1)!;
    expect(JSON.parse(last.slice('data: '.length))).toMatchObject({ error: { type: 'server_error' } });
    expect(body).not.toContain('[DONE]');
    expect(backup.requests).toHaveLength(0);

    // The official SDK surfaces that event as an error.
    primary.enqueue('/chat/completions', { kind: 'sse', frames: [frame('Hel'), frame('x')], resetAfter: 1, delayMs: 100 });
    const stream = await gw.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    await expect((async () => {
      for await (const _ of stream) { /* drain */ }
    })()).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('an upstream that goes silent mid-stream hits the idle timeout and the client gets an error event', async () => {
    const frame = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }] })}\n\n`;
    primary.enqueue('/chat/completions', { kind: 'sse', frames: [frame, frame], hangAfter: 1 });
    const res = await ask(true);
    const body = await res.text();
    expect(body).toContain('partial');
    expect(body).toContain('upstream_timeout');
  });

  it('a client that disconnects mid-stream cancels the upstream request', async () => {
    const frame = (i: number) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [{ index: 0, delta: { content: `t${i} ` }, finish_reason: null }] })}\n\n`;
    primary.enqueue('/chat/completions', { kind: 'sse', frames: Array.from({ length: 200 }, (_, i) => frame(i)), delayMs: 20 });
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.server.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'long' }], stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await primary.waitForAborts(1);
    expect(primary.requests.filter((r) => r.aborted)).toHaveLength(1);
  });

  it('keeps an upstream 429 a 429 with retry-after, and an upstream 400 a 400 with its message', async () => {
    // retry-after (7 s) exceeds the longest backoff, so the single deployment is not retried.
    primary.enqueue('/chat/completions', {
      kind: 'json',
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
    });
    const limited = await gw.post('/v1/chat/completions', { model: 'solo', messages: [{ role: 'user', content: 'x' }] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await json(limited)).error.code).toBe('rate_limit_exceeded');

    primary.enqueue('/chat/completions', {
      kind: 'json',
      status: 400,
      body: { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
    });
    const bad = await gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(bad.status).toBe(400);
    const body = await json(bad);
    expect(body.error.message).toContain('maximum context length is 8192');
    expect(body.error.code).toBe('context_length_exceeded');
    // A caller error is never retried on another deployment.
    expect(backup.requests).toHaveLength(0);
  });

  it('shows deployment state and recent latency in the health view', async () => {
    const res = await fetch(`${gw.url}/admin/v1/deployments/health`, { headers: { authorization: `Bearer ${gw.server.masterKey}` } });
    expect(res.status).toBe(200);
    const { data } = await json(res);
    const ids = data.map((d: { id: string }) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['m#0', 'm#1', 'solo#0']));
    const backupRow = data.find((d: { id: string }) => d.id === 'm#1');
    expect(backupRow).toMatchObject({ provider: 'backup', circuit: 'closed', available: true });
    expect(backupRow.latency_ms.samples).toBeGreaterThan(0);
  });
});
