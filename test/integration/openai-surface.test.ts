import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
import { json, startTestGateway, type TestGateway } from '../support/gateway.js';

/** The OpenAI surface end to end: official openai SDK → real Baimo server → mock OpenAI-compatible upstream. */
describe('OpenAI surface through the official openai SDK', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`
providers:
  - name: local-vllm
    kind: vllm
    base_url: ${upstream.url}/v1
    api_key: \${UPSTREAM_KEY}
  - name: bailian
    kind: dashscope
    base_url: ${upstream.url}/compatible-mode/v1
    api_key: \${UPSTREAM_KEY}
models:
  - name: qwen3-8b
    capabilities: [chat, tools, json, vision]
    context_window: 32768
    price: { input: 0.3, output: 1.2 }
    deployments:
      - provider: local-vllm
        model: Qwen/Qwen3-8B
        tags: { engine: vllm, accelerator: nvidia }
  - name: bge-m3
    capabilities: [embeddings]
    deployments:
      - { provider: local-vllm, model: BAAI/bge-m3 }
  - name: bge-reranker
    capabilities: [rerank]
    deployments:
      - { provider: local-vllm, model: BAAI/bge-reranker-v2-m3 }
  - name: text-only
    capabilities: [chat]
    deployments:
      - { provider: local-vllm, model: small }
  - name: qwen-embed
    capabilities: [embeddings]
    deployments:
      - { provider: bailian, model: text-embedding-v4 }
`, { UPSTREAM_KEY: 'upstream-secret' });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('answers a non-stream chat with the public model name, and sends the upstream id and key upstream', async () => {
    const res = await gw.client.chat.completions.create({ model: 'qwen3-8b', messages: [{ role: 'user', content: 'hello' }] });
    expect(res.choices[0]!.message.content).toBe('echo: hello');
    expect(res.model).toBe('qwen3-8b');
    expect(res.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 });
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body.model).toBe('Qwen/Qwen3-8B');
    expect(sent.headers.authorization).toBe('Bearer upstream-secret');
  });

  it('streams chunk by chunk and returns usage only when the client asked for it', async () => {
    const upstreamBefore = upstream.requests.length;
    const stream = await gw.client.chat.completions.create({
      model: 'qwen3-8b',
      messages: [{ role: 'user', content: 'one two three' }],
      stream: true,
    });
    let text = '';
    let usageSeen = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usageSeen = true;
      expect(chunk.model).toBe('qwen3-8b');
    }
    expect(text).toBe('echo: one two three');
    expect(usageSeen).toBe(false);
    // Baimo asks the upstream for usage anyway (metering needs it).
    expect(upstream.requests[upstreamBefore]!.body.stream_options).toMatchObject({ include_usage: true });

    const withUsage = await gw.client.chat.completions.create({
      model: 'qwen3-8b',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of withUsage) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 });
  });

  it('relays tool calls (parallel, streamed fragments) and passes tools, tool_choice and unknown fields upstream', async () => {
    const base = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'Qwen/Qwen3-8B' };
    const frame = (delta: unknown, finish: string | null = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    upstream.enqueue('/chat/completions', {
      kind: 'sse',
      frames: [
        frame({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        frame({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        frame({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        frame({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } }] }),
        frame({}, 'tool_calls'),
        'data: [DONE]\n\n',
      ],
    });
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
    ];
    const runner = gw.client.chat.completions.stream({
      model: 'qwen3-8b',
      messages: [{ role: 'user', content: 'weather and time in Paris' }],
      tools,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      // provider-specific field, passed through
      ...({ top_k: 20 } as object),
    });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => [c.id, c.type === 'function' && c.function.name, c.type === 'function' && c.function.arguments])).toEqual([
      ['call_a', 'get_weather', '{"city":"Paris"}'],
      ['call_b', 'get_time', '{"tz":"CET"}'],
    ]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    const sent = upstream.requests.at(-1)!.body;
    expect(sent.tools).toHaveLength(2);
    expect(sent.tool_choice).toBe('auto');
    expect(sent.top_k).toBe(20);
  });

  it('passes response_format json_schema, image parts, logprobs, n, stop, seed and user through', async () => {
    await gw.client.chat.completions.create({
      model: 'qwen3-8b',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      response_format: { type: 'json_schema', json_schema: { name: 'd', schema: { type: 'object' }, strict: true } },
      logprobs: true,
      top_logprobs: 2,
      n: 2,
      stop: ['\n\n'],
      seed: 7,
      user: 'u-1',
    });
    const sent = upstream.requests.at(-1)!.body;
    expect(sent.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'd', schema: { type: 'object' }, strict: true } });
    expect(sent.messages[0].content[1]).toEqual({ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } });
    expect(sent).toMatchObject({ logprobs: true, top_logprobs: 2, n: 2, stop: ['\n\n'], seed: 7 });
  });

  it('refuses a feature the model lacks with a 400 naming the parameter', async () => {
    const err = await gw.client.chat.completions
      .create({ model: 'text-only', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.APIError>).param).toBe('tools');
  });

  it('creates embeddings as floats and as base64 (dimensions passed through)', async () => {
    const floats = await gw.client.embeddings.create({ model: 'bge-m3', input: ['a', 'b'], dimensions: 3, encoding_format: 'float' });
    expect(floats.data).toHaveLength(2);
    expect(floats.data[1]!.embedding[0]).toBeCloseTo(0.2);
    expect(upstream.requests.at(-1)!.body).toMatchObject({ model: 'BAAI/bge-m3', dimensions: 3 });
    // The SDK asks for base64 by default and decodes it itself.
    const decoded = await gw.client.embeddings.create({ model: 'bge-m3', input: 'a' });
    expect(decoded.data[0]!.embedding[1]).toBeCloseTo(0.2, 5);
    const res = await gw.post('/v1/embeddings', { model: 'bge-m3', input: 'a', encoding_format: 'base64' });
    // The answer names the deployment that served it, as chat answers do.
    expect(res.headers.get('x-baimo-deployment')).toBe('bge-m3#0');
    const raw = await json(res);
    expect(typeof raw.data[0].embedding).toBe('string');
  });

  it("splits an embeddings list longer than the vendor's per-call limit (DashScope: 10) and joins the answers in order", async () => {
    const before = upstream.requests.length;
    const input = Array.from({ length: 23 }, (_, i) => `text ${i}`);
    const res = await gw.client.embeddings.create({ model: 'qwen-embed', input, encoding_format: 'float' });
    const sent = upstream.requests.slice(before);
    expect(sent.map((r) => (r.body.input as string[]).length).sort((a, b) => b - a)).toEqual([10, 10, 3]);
    expect(sent.flatMap((r) => r.body.input as string[]).sort()).toEqual([...input].sort());
    expect(res.data.map((d) => d.index)).toEqual(input.map((_, i) => i));
    // The mock's vector starts with 0.1 × (position in its own request + 1): chunk answers are placed in order.
    res.data.forEach((d, i) => expect(d.embedding[0]).toBeCloseTo(0.1 * ((i % 10) + 1)));
    expect(res.usage).toEqual({ prompt_tokens: 23 * 3, total_tokens: 23 * 3 });
  });

  it('reranks in the Jina/Cohere shape', async () => {
    upstream.enqueue('/rerank', {
      kind: 'json',
      body: { id: 'r', results: [{ index: 1, relevance_score: 0.9 }, { index: 0, relevance_score: 0.1 }], usage: { total_tokens: 12 } },
    });
    const res = await gw.post('/v1/rerank', { model: 'bge-reranker', query: 'capital of France', documents: ['Berlin', 'Paris'], top_n: 2 });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.model).toBe('bge-reranker');
    expect(body.results[0]).toMatchObject({ index: 1, relevance_score: 0.9 });
    expect(upstream.requests.at(-1)!.body).toMatchObject({ model: 'BAAI/bge-reranker-v2-m3', query: 'capital of France', top_n: 2 });
  });

  it('lists models and fetches one by id, including ids with a slash', async () => {
    const list = await gw.client.models.list();
    expect(list.data.map((m) => m.id).sort()).toEqual(['bge-m3', 'bge-reranker', 'qwen-embed', 'qwen3-8b', 'text-only']);
    const one = await gw.client.models.retrieve('qwen3-8b');
    expect(one).toMatchObject({ id: 'qwen3-8b', object: 'model', context_window: 32768 });
    await expect(gw.client.models.retrieve('no/such-model')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('maps an unknown model to 404 model_not_found', async () => {
    const err = (await gw.client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(404);
    expect(err.code).toBe('model_not_found');
  });
});
