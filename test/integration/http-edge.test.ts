import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { startTestGateway, type TestGateway, json } from '../support/gateway.js';

/** Bad input at the edge: every failure is OpenAI-shaped JSON with the right status, and nothing crashes. */
describe('HTTP edge: auth, malformed and oversize input, unknown routes, ops endpoints', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
server: { body_limit_bytes: 65536 }
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  - name: m
    capabilities: [chat]
    deployments: [{ provider: up, model: up-m }]
`);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  const expectOpenAIError = async (res: Response, status: number, code: string, param?: string | null) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await json(res);
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.code).toBe(code);
    if (param !== undefined) expect(body.error.param).toBe(param);
    return body.error;
  };

  it('refuses a missing or wrong key with 401, before reading the body', async () => {
    const none = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    await expectOpenAIError(none, 401, 'invalid_api_key');
    const wrong = await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer sk-wrong' } });
    await expectOpenAIError(wrong, 401, 'invalid_api_key');
    const xApiKey = await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': gw.server.masterKey } });
    expect(xApiKey.status).toBe(200);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    await expectOpenAIError(await gw.post('/v1/chat/completions', '{"model": "m", "messages": ['), 400, 'invalid_json');
    await expectOpenAIError(await gw.post('/v1/chat/completions', '{"model": "m"', { 'content-type': 'text/plain' }), 400, 'invalid_json');
  });

  it('answers a body over the configured limit with 413', async () => {
    const big = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] });
    await expectOpenAIError(await gw.post('/v1/chat/completions', big), 413, 'request_too_large');
  });

  it('names the missing or wrong-typed parameter', async () => {
    await expectOpenAIError(await gw.post('/v1/chat/completions', { model: 'm' }), 400, 'missing_required_parameter', 'messages');
    await expectOpenAIError(await gw.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }), 400, 'missing_required_parameter', 'model');
    await expectOpenAIError(await gw.post('/v1/chat/completions', { model: 'm', messages: 'hello' }), 400, 'invalid_value', 'messages');
    await expectOpenAIError(await gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'wizard', content: 'x' }] }), 400, 'invalid_value', 'messages[0].role');
    await expectOpenAIError(await gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }), 400, 'invalid_value', 'temperature');
    await expectOpenAIError(await gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 }), 400, 'invalid_value', 'temperature');
    await expectOpenAIError(await gw.post('/v1/chat/completions', [1, 2]), 400, 'invalid_request');
    await expectOpenAIError(await gw.post('/v1/embeddings', { model: 'm', input: [] }), 400, 'invalid_value', 'input');
    await expectOpenAIError(await gw.post('/v1/rerank', { model: 'm', query: 'q' }), 400, 'missing_required_parameter', 'documents');
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses an endpoint the model does not serve', async () => {
    await expectOpenAIError(await gw.post('/v1/embeddings', { model: 'm', input: 'x' }), 400, 'unsupported_parameter', 'model');
  });

  it('answers unknown routes with a JSON 404', async () => {
    await expectOpenAIError(await fetch(`${gw.url}/nope`), 404, 'not_found');
    await expectOpenAIError(await gw.post('/v1/chat/completion', {}), 404, 'not_found');
  });

  it('turns an upstream answering garbage into a 502, not a crash', async () => {
    upstream.enqueue('/chat/completions', { kind: 'text', status: 200, body: '<html>oops' }, { kind: 'text', status: 200, body: 'nope' }, { kind: 'text', status: 200, body: '{' });
    const res = await gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] });
    await expectOpenAIError(res, 502, 'upstream_malformed_response');
    const ok = await gw.post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'still alive' }] });
    expect(ok.status).toBe(200);
  });

  it('serves /healthz, /readyz and Prometheus /metrics without a key', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect(await json(await fetch(`${gw.url}/readyz`))).toMatchObject({ status: 'ready' });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/^# HELP baimo_requests_total/m);
    expect(metrics).toMatch(/baimo_requests_total\{route="\/v1\/chat\/completions",model="m",status="200"\} \d+/);
    expect(metrics).toMatch(/baimo_request_duration_seconds_bucket\{le="0.005",route="\/v1\/chat\/completions",model="m"\}/);
    expect(metrics).toMatch(/baimo_time_to_first_token_seconds_count\{model="m",deployment="m#0"\} \d+/);
    expect(metrics).toMatch(/baimo_circuit_state\{deployment="m#0"\} 0/);
    expect(metrics).toMatch(/baimo_metering_queued\{table="usage_events"\} \d+/);
    expect(metrics).toMatch(/baimo_metering_flush_failing\{table="request_logs"\} 0/);
    expect(metrics).toMatch(/baimo_upstream_errors_total\{deployment="m#0",provider="up",code="upstream_malformed_response"\} \d+/);
    // Errors answered to clients by code, from the tests above.
    expect(metrics).toMatch(/baimo_errors_total\{route="\/v1\/chat\/completions",code="invalid_json"\} [1-9]/);
    expect(metrics).toMatch(/baimo_errors_total\{route="\/v1\/chat\/completions",code="upstream_malformed_response"\} [1-9]/);
    expect(metrics).toMatch(/baimo_errors_total\{route="unmatched",code="[a-z_]+"\} [1-9]/);
  });

  it('never echoes the key in responses or error messages', async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer sk-leaky-secret-123' } });
    expect(await res.text()).not.toContain('sk-leaky-secret-123');
  });
});
