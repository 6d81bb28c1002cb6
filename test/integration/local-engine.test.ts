import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { resolveChatWrapper, type LlamaModel } from 'node-llama-cpp';
import { TINY_STORIES, tinyStoriesVocabulary } from '../support/tiny-stories.js';
import { startTestGateway, json, type TestGateway } from '../support/gateway.js';

/**
 * `kind: local` end to end: the official openai SDK talks to Baimo, Baimo runs the in-repo GGUF
 * fixture (stories260K, test/fixtures/models/README.md) in-process through node-llama-cpp.
 * Expected token counts come from the model's own tokenizer, loaded here vocabulary-only.
 */
const MODEL = TINY_STORIES;
/** stories260K's `embedding_length` (a vocabulary-only load does not know it). */
const DIMENSION = 64;

describe('local engine (kind: local) through the OpenAI surface', () => {
  let gw: TestGateway;
  let vocabulary: Awaited<ReturnType<typeof tinyStoriesVocabulary>>;
  let vocab: LlamaModel;

  beforeAll(async () => {
    gw = await startTestGateway(`
providers:
  - { name: laptop, kind: local, threads: 1, context_size: 512, sequences: 2, max_queue: 4 }
  - { name: busy, kind: local, threads: 1, context_size: 2048, sequences: 1, max_queue: 0 }
  - { name: spare, kind: local, threads: 1, context_size: 512 }
models:
  - name: tiny-stories
    capabilities: [chat, completions, json]
    price: { input: 1000, output: 1000 }
    deployments: [{ provider: laptop, model: "${MODEL}" }]
  - name: tiny-embed
    capabilities: [embeddings]
    deployments: [{ provider: laptop, model: "${MODEL}" }]
  - name: ghost
    deployments: [{ provider: laptop, model: ./models/ghost.gguf }]
  - name: spillover
    deployments:
      - { provider: busy, model: "${MODEL}", priority: 0 }
      - { provider: spare, model: "${MODEL}", priority: 1 }
routing: { retries: 1, backoff_base_ms: 1, backoff_max_ms: 5 }
`);
    vocabulary = await tinyStoriesVocabulary();
    vocab = vocabulary.vocab;
  });
  afterAll(async () => {
    await gw?.close();
    await vocabulary?.close();
  });

  /** Tokens of the prompt the chat template renders, BOS included: what llama.cpp evaluates. */
  const chatPromptTokens = (messages: { role: 'system' | 'user'; content: string }[]) => {
    const chatHistory = [
      ...messages.map((m) => ({ type: m.role, text: m.content }) as const),
      { type: 'model' as const, response: [] },
    ];
    return resolveChatWrapper(vocab).generateContextState({ chatHistory }).contextText.tokenize(vocab.tokenizer).length;
  };
  const metric = async (name: string, labels = 'provider="laptop"') => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  const admin = async (method: string, path: string, body?: unknown) =>
    json(
      await fetch(`${gw.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${gw.server.masterKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const MESSAGES = [
    { role: 'system' as const, content: 'You tell short stories.' },
    { role: 'user' as const, content: 'Tell me about Lily and her cat.' },
  ];

  it('non-stream chat: text, finish_reason length at max_tokens, usage from the tokenizer', async () => {
    const res = await gw.client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 24, temperature: 0 });
    expect(res.model).toBe('tiny-stories');
    expect(res.choices[0]!.message.content!.trim().length).toBeGreaterThan(0);
    expect(res.choices[0]!.finish_reason).toBe('length');
    expect(res.usage).toMatchObject({ prompt_tokens: chatPromptTokens(MESSAGES), completion_tokens: 24, total_tokens: chatPromptTokens(MESSAGES) + 24 });
  });

  it('stream: the same text token by token, then finish_reason, then usage', async () => {
    const request = { model: 'tiny-stories', messages: MESSAGES, max_tokens: 24, temperature: 0 };
    const whole = await gw.client.chat.completions.create(request);
    const stream = await gw.client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    const pieces: string[] = [];
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) pieces.push(content);
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(whole.choices[0]!.message.content);
    expect(finish).toBe('length');
    expect(usage).toMatchObject({ prompt_tokens: chatPromptTokens(MESSAGES), completion_tokens: 24 });
  });

  it('a stop sequence ends the answer before it, with finish_reason stop', async () => {
    const request = { model: 'tiny-stories', messages: MESSAGES, max_tokens: 40, temperature: 0 };
    const full = (await gw.client.chat.completions.create(request)).choices[0]!.message.content!;
    const stopWord = full.split(/\s+/).filter((w) => /^[a-z]{3,}$/.test(w))[2]!;
    const res = await gw.client.chat.completions.create({ ...request, stop: [stopWord] });
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.choices[0]!.message.content).toBe(full.slice(0, full.indexOf(stopWord)));
  });

  it('legacy completions: prompt → text, BOS + prompt tokens counted', async () => {
    const prompt = 'Once upon a time';
    const res = await gw.client.completions.create({ model: 'tiny-stories', prompt, max_tokens: 10, temperature: 0 });
    expect(res.model).toBe('tiny-stories');
    expect(res.choices[0]!.text.length).toBeGreaterThan(0);
    expect(res.choices[0]!.finish_reason).toBe('length');
    // LlamaCompletion evaluates BOS + the prompt tokenized without its leading space.
    expect(res.usage).toMatchObject({ prompt_tokens: 1 + vocab.tokenize(prompt, false, 'trimLeadingSpace').length, completion_tokens: 10 });
  });

  it('embeddings: one vector of the model dimension per input, usage = input tokens', async () => {
    const res = await gw.client.embeddings.create({ model: 'tiny-embed', input: ['a cat sat on the mat', 'the sun was hot'] });
    expect(res.model).toBe('tiny-embed');
    expect(res.data.map((d) => d.embedding.length)).toEqual([DIMENSION, DIMENSION]);
    expect(res.data[0]!.embedding).not.toEqual(res.data[1]!.embedding);
    expect(res.usage.prompt_tokens).toBeGreaterThanOrEqual(vocab.tokenize('a cat sat on the mat').length + vocab.tokenize('the sun was hot').length);
  });

  it('requests beyond the sequences wait for one and all succeed', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => gw.client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 8, temperature: 0 })),
    );
    expect(answers.map((a) => a.usage!.completion_tokens)).toEqual([8, 8, 8, 8]);
  });

  it('a full engine answers 503 overloaded and the router fails over to the next deployment', async () => {
    const controller = new AbortController();
    const holding = await gw.client.chat.completions.create(
      // Long enough (~2 s) to still be generating when the second request arrives on a loaded CI box.
      { model: 'spillover', messages: MESSAGES, max_tokens: 1500, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    const iterator = holding[Symbol.asyncIterator]();
    await iterator.next(); // the busy engine's only sequence is now generating
    const res = await gw.client.chat.completions.create({ model: 'spillover', messages: MESSAGES, max_tokens: 4, temperature: 0 });
    expect(res.usage!.completion_tokens).toBe(4);
    controller.abort();
    await iterator.return?.();
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/baimo_upstream_errors_total\{deployment="spillover#0",provider="busy",code="overloaded"\} 1/);
    expect(await metric('baimo_local_engine_tokens_total', 'provider="spare",type="completion"')).toBe(4);
  });

  it('meters usage events for the tenant with the real token counts', async () => {
    const org = await admin('POST', '/admin/v1/orgs', { name: 'local-engine' });
    const { key } = await admin('POST', `/admin/v1/orgs/${org.id}/keys`, { name: 'laptop-user' });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 6, temperature: 0 });
    await gw.server.flushUsage();
    const report = await admin('GET', `/admin/v1/usage?group_by=model&org_id=${org.id}`);
    expect(report.totals).toMatchObject({ requests: 1, input_tokens: res.usage!.prompt_tokens, output_tokens: 6 });
    expect(report.totals.cost).toBeCloseTo(((res.usage!.prompt_tokens + 6) * 1000) / 1e6, 9);
  });

  it('a client abort mid-stream stops generation', async () => {
    const before = (await metric('baimo_local_engine_tokens_total', 'provider="laptop",type="completion"')) ?? 0;
    const controller = new AbortController();
    const stream = await gw.client.chat.completions.create(
      { model: 'tiny-stories', messages: MESSAGES, max_tokens: 400, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    await (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content && ++seen === 3) controller.abort();
    })().catch((err: unknown) => expect(err).toBeInstanceOf(OpenAI.APIUserAbortError));
    await expect.poll(() => metric('baimo_local_engine_active'), { timeout: 3000 }).toBe(0);
    const generated = (await metric('baimo_local_engine_tokens_total', 'provider="laptop",type="completion"'))! - before;
    expect(generated).toBeGreaterThanOrEqual(3);
    // Measured: 5 of the 400 tokens; the rest was never generated.
    expect(generated).toBeLessThan(100);
  });

  it('response_format json_schema constrains a model that cannot write JSON to valid JSON of that schema, streamed or not', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string', maxLength: 12 }, age: { type: 'integer' }, happy: { type: 'boolean' } },
      required: ['name', 'age', 'happy'],
      additionalProperties: false,
    };
    const response_format = { type: 'json_schema' as const, json_schema: { name: 'person', schema } };
    const plain = await gw.client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 120, temperature: 0, response_format });
    const parsed = JSON.parse(plain.choices[0]!.message.content!);
    expect(Object.keys(parsed).sort()).toEqual(['age', 'happy', 'name']);
    expect(typeof parsed.name).toBe('string');
    expect(parsed.name.length).toBeLessThanOrEqual(12);
    expect(Number.isInteger(parsed.age)).toBe(true);
    expect(typeof parsed.happy).toBe('boolean');
    expect(plain.choices[0]!.finish_reason).toBe('stop');

    const stream = await gw.client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 120, temperature: 0, response_format, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(JSON.parse(text)).toEqual(parsed);

    const object = await gw.client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 120, temperature: 0, response_format: { type: 'json_object' } });
    if (object.choices[0]!.finish_reason === 'stop') expect(() => JSON.parse(object.choices[0]!.message.content!)).not.toThrow();
    else expect(object.choices[0]!.message.content!.trimStart().startsWith('{')).toBe(true);
  });

  it('a JSON Schema the grammar compiler cannot take is a 400 naming the schema', async () => {
    const err = await gw.client.chat.completions
      .create({ model: 'tiny-stories', messages: MESSAGES, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { enum: 'not-a-list' } } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((err as InstanceType<typeof OpenAI.APIError>).param).toBe('response_format.json_schema.schema');
  });

  it('a missing model file is a 404 model_not_found that names the path', async () => {
    const err = await gw.client.chat.completions.create({ model: 'ghost', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const apiError = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(404);
    expect(apiError.code).toBe('model_not_found');
    expect(apiError.message).toContain(join(gw.dir, 'models', 'ghost.gguf'));
  });

  it('a prompt longer than the context is a 400 context_length_exceeded', async () => {
    const err = await gw.client.chat.completions
      .create({ model: 'tiny-stories', messages: [{ role: 'user', content: 'Once upon a time there was a cat. '.repeat(80) }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('context_length_exceeded');
  });

  // Last: it rewrites the config the other tests use.
  it('a reload that removes a local provider unloads its engine', async () => {
    await gw.client.chat.completions.create({ model: 'spillover', messages: MESSAGES, max_tokens: 2 });
    await gw.client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 2 });
    expect(await metric('baimo_local_engine_loaded_models', 'provider="laptop"')).toBe(1);
    const engines = async () => [...(await (await fetch(`${gw.url}/metrics`)).text()).matchAll(/^baimo_local_engine_loaded_models\{provider="([^"]+)"\}/gm)].map((m) => m[1]).sort();
    expect(await engines()).toContain('busy');
    writeFileSync(gw.configPath, readFileSync(gw.configPath, 'utf8').replace(/^ {2}- \{ name: (busy|spare),.*$\n/gm, '').replace(/ {2}- name: spillover[\s\S]*?(?=^routing)/m, ''));
    await gw.server.reload();
    expect(await engines()).toEqual(['laptop']);
    const again = await gw.client.chat.completions.create({ model: 'tiny-stories', messages: MESSAGES, max_tokens: 2 });
    expect(again.usage?.completion_tokens).toBe(2);
  });
});
