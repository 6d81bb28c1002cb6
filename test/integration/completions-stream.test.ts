import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { FAST_TIMEOUTS, json, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Streaming legacy completions (`POST /v1/completions`, `stream: true`) end to end: the official
 * openai SDK → real Baimo server → two scripted vLLM-style upstreams sending raw
 * `text_completion` SSE chunks. Same guarantees as chat streams: chunk by chunk, public model
 * name, usage only if asked (but always asked upstream, for metering), failover before the first
 * byte only, an error event after it, client aborts reaching the upstream.
 */
describe('streaming legacy completions through the official openai SDK', () => {
  let primary: MockUpstream;
  let backup: MockUpstream;
  let gw: TestGateway;

  const PATH = '/v1/completions';
  const chunk = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({ id: 'cmpl-up-1', object: 'text_completion', created: 1760000000, model: 'Qwen/Qwen3-8B', choices, ...(usage ? { usage } : {}) })}\n\n`;
  const text = (t: string, finish: string | null = null, index = 0) => chunk([{ index, text: t, logprobs: null, finish_reason: finish }]);
  const USAGE = { prompt_tokens: 6, completion_tokens: 8, total_tokens: 14 };
  const DONE = 'data: [DONE]\n\n';
  const story = [text('Once'), text(' upon'), text(' a'), text(' time', 'length'), chunk([], USAGE), DONE];

  beforeAll(async () => {
    primary = await startMockUpstream();
    backup = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - { name: primary, kind: vllm, base_url: "${primary.url}/v1", timeouts: ${FAST_TIMEOUTS} }
  - { name: backup, kind: vllm, base_url: "${backup.url}/v1", timeouts: ${FAST_TIMEOUTS} }
models:
  - name: writer
    capabilities: [chat, completions]
    price: { input: 1000, output: 1000 }
    deployments:
      - { provider: primary, model: up-primary, priority: 0 }
      - { provider: backup, model: up-backup, priority: 1 }
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

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${gw.server.masterKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? undefined : await json(res) };
  };

  it('still answers a non-stream completion as JSON, with the public model name', async () => {
    primary.enqueue(PATH, {
      kind: 'json',
      body: { id: 'cmpl-up-2', object: 'text_completion', created: 1760000000, model: 'Qwen/Qwen3-8B', choices: [{ index: 0, text: 'Once upon a time', logprobs: null, finish_reason: 'length' }], usage: USAGE },
    });
    const res = await gw.client.completions.create({ model: 'writer', prompt: 'Tell me' });
    expect(res).toMatchObject({ model: 'writer', choices: [{ text: 'Once upon a time' }], usage: USAGE });
    expect(primary.requests.at(-1)!.body.stream).toBeUndefined();
  });

  it('relays the text in order, with the public model name, and no usage when not asked (but asks upstream for it)', async () => {
    primary.enqueue(PATH, { kind: 'sse', frames: story, delayMs: 5 });
    const stream = await gw.client.completions.create({ model: 'writer', prompt: 'Tell me', max_tokens: 4, stream: true });
    const texts: string[] = [];
    const chunks: OpenAI.Completion[] = [];
    for await (const c of stream) {
      chunks.push(c);
      texts.push(c.choices[0]?.text ?? '');
    }
    expect(texts).toEqual(['Once', ' upon', ' a', ' time']);
    expect(chunks.every((c) => c.model === 'writer' && c.object === 'text_completion' && c.id === 'cmpl-up-1')).toBe(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
    expect(chunks.some((c) => c.usage)).toBe(false);

    const sent = primary.requests.at(-1)!;
    expect(sent.path).toBe(PATH);
    expect(sent.body).toMatchObject({ model: 'up-primary', prompt: 'Tell me', max_tokens: 4, stream: true, stream_options: { include_usage: true } });
    expect(backup.requests).toHaveLength(0);
  });

  it('returns usage when the client asked (stream_options.include_usage)', async () => {
    primary.enqueue(PATH, { kind: 'sse', frames: story });
    const stream = await gw.client.completions.create({ model: 'writer', prompt: 'Tell me', stream: true, stream_options: { include_usage: true } });
    let usage: OpenAI.CompletionUsage | undefined;
    let textOut = '';
    for await (const c of stream) {
      textOut += c.choices[0]?.text ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(textOut).toBe('Once upon a time');
    expect(usage).toMatchObject(USAGE);
  });

  it('keeps several prompts apart by choice index, and reassembles a character cut between TCP chunks', async () => {
    const frames = [text('Olá', null, 0), text('世界', null, 1), text(' 🌍', 'stop', 0), text('!', 'stop', 1), DONE];
    const bytes = Buffer.from(frames.join(''), 'utf8');
    const cut = bytes.indexOf(Buffer.from('世')) + 1;
    // The mock writes its frames as given; Buffers let one frame end inside a multi-byte character.
    const parts = [bytes.subarray(0, cut), bytes.subarray(cut)] as unknown as string[];
    primary.enqueue(PATH, { kind: 'sse', frames: parts, delayMs: 50 });
    const res = await gw.post('/v1/completions', { model: 'writer', prompt: ['a', 'b'], stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text()).trim().split('\n\n').map((f) => f.slice('data: '.length));
    expect(events.at(-1)).toBe('[DONE]');
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e) as OpenAI.Completion);
    expect(parsed).toHaveLength(4);
    const byIndex = (i: number) => parsed.flatMap((c) => c.choices.filter((ch) => ch.index === i).map((ch) => ch.text)).join('');
    expect(byIndex(0)).toBe('Olá 🌍');
    expect(byIndex(1)).toBe('世界!');
  });

  it('fails over before the first byte: the first deployment answers 503, the second streams', async () => {
    primary.enqueue(PATH, { kind: 'json', status: 503, body: { error: { message: 'overloaded', type: 'server_error', code: null } } });
    backup.enqueue(PATH, { kind: 'sse', frames: story });
    const stream = await gw.client.completions.create({ model: 'writer', prompt: 'x', stream: true });
    let out = '';
    for await (const c of stream) out += c.choices[0]?.text ?? '';
    expect(out).toBe('Once upon a time');
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(1);
    expect(backup.requests[0]!.body.model).toBe('up-backup');
  });

  it('an upstream reset mid-stream ends the client stream with an error event, without a retry', async () => {
    // The gap lets the first chunks reach the client before the reset (else it is a pre-commit failure, retried).
    primary.enqueue(PATH, { kind: 'sse', frames: [text('Hel'), text('lo'), text('never')], resetAfter: 2, delayMs: 100 });
    const res = await gw.post('/v1/completions', { model: 'writer', prompt: 'x', stream: true });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('"text":"Hel"');
    expect(body).toContain('"text":"lo"');
    const last = body.trim().split('\n\n').at(-1)!;
    expect(JSON.parse(last.slice('data: '.length))).toMatchObject({ error: { type: 'server_error' } });
    expect(body).not.toContain('[DONE]');
    expect(backup.requests).toHaveLength(0);

    // The official SDK surfaces that event as an error, after the text that came before it.
    primary.enqueue(PATH, { kind: 'sse', frames: [text('Hel'), text('x')], resetAfter: 1, delayMs: 100 });
    const stream = await gw.client.completions.create({ model: 'writer', prompt: 'x', stream: true });
    const seen: string[] = [];
    await expect((async () => {
      for await (const c of stream) seen.push(c.choices[0]?.text ?? '');
    })()).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(seen).toEqual(['Hel']);
  });

  it('a client that disconnects mid-stream cancels the upstream request', async () => {
    primary.enqueue(PATH, { kind: 'sse', frames: Array.from({ length: 200 }, (_, i) => text(`t${i} `)), delayMs: 20 });
    const controller = new AbortController();
    const stream = await gw.client.completions.create({ model: 'writer', prompt: 'long', stream: true }, { signal: controller.signal });
    const seen: string[] = [];
    for await (const c of stream) {
      seen.push(c.choices[0]?.text ?? '');
      if (seen.length === 2) {
        controller.abort();
        break;
      }
    }
    expect(seen).toEqual(['t0 ', 't1 ']);
    await primary.waitForAborts(1);
    expect(primary.requests.filter((r) => r.aborted)).toHaveLength(1);
  });

  it("meters the stream's usage for the tenant and charges it to the key's budget", async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'completions-stream' });
    // 1000 per 1M tokens: 14 tokens cost 0.014, more than this budget; the small estimate is admitted.
    const key = (await admin('POST', `/admin/v1/orgs/${org.body.id}/keys`, { name: 'writer', budget: 0.01 })).body.key as string;
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
    primary.enqueue(PATH, { kind: 'sse', frames: story });
    const stream = await client.completions.create({ model: 'writer', prompt: 'x', max_tokens: 1, stream: true });
    let out = '';
    for await (const c of stream) out += c.choices[0]?.text ?? '';
    expect(out).toBe('Once upon a time');

    await gw.server.flushUsage();
    const mine = await json(await fetch(`${gw.url}/v1/usage?group_by=model`, { headers: { authorization: `Bearer ${key}` } }));
    expect(mine.totals).toMatchObject({ requests: 1, input_tokens: 6, output_tokens: 8 });
    expect(mine.totals.cost).toBeCloseTo(0.014, 9);

    // The reservation was settled on the real usage when the stream ended: the budget is spent.
    const refused = await client.completions.create({ model: 'writer', prompt: 'x', max_tokens: 1, stream: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe('budget_exceeded');
  });
});
