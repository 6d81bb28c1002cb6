import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { Ajv } from 'ajv';
import { resolveChatWrapper, type ChatHistoryItem, type ChatModelFunctions, type LlamaModel } from 'node-llama-cpp';
import { TINY_STORIES, tinyStoriesVocabulary } from '../support/tiny-stories.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Tool calling on `kind: local`, through the official openai SDK, on the in-repo 260K-parameter
 * story model (test/fixtures/models/README.md). It cannot choose tools sensibly, which is the
 * point of the forced cases: the grammar makes any model return a well-formed call. Prompt token
 * counts are compared with the model's own chat template rendered here (vocabulary-only load), so
 * they show what reached the model: function documentation, past calls and tool results.
 */
const MODEL = TINY_STORIES;

const WEATHER: Tool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', maxLength: 20 }, unit: { enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};
const CLOCK: Tool = {
  type: 'function' as const,
  function: {
    name: 'get_time',
    description: 'Local time in a time zone.',
    parameters: { type: 'object', properties: { zone: { type: 'string', maxLength: 20 } }, required: ['zone'], additionalProperties: false },
  },
};
const MESSAGES = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
type Tool = { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } };

describe('local engine tool calling', () => {
  let gw: TestGateway;
  let vocabulary: Awaited<ReturnType<typeof tinyStoriesVocabulary>>;
  let vocab: LlamaModel;
  const ajv = new Ajv();

  beforeAll(async () => {
    gw = await startTestGateway(`
providers:
  - { name: laptop, kind: local, threads: 1, context_size: 1024, sequences: 1 }
models:
  - name: tiny-tools
    capabilities: [chat, tools, json]
    deployments: [{ provider: laptop, model: "${MODEL}" }]
`);
    vocabulary = await tinyStoriesVocabulary();
    vocab = vocabulary.vocab;
  });
  afterAll(async () => {
    await gw?.close();
    await vocabulary?.close();
  });

  const functionsOf = (tools: Tool[]): ChatModelFunctions =>
    Object.fromEntries(tools.map((t) => [t.function.name, { description: t.function.description, params: t.function.parameters as never }]));
  /**
   * Tokens the template renders for this history, with these functions documented (auto) or none.
   * The answer goes into a new model turn, or continues the last one after its calls' results.
   */
  const promptTokens = (history: ChatHistoryItem[], functions?: ChatModelFunctions) => {
    const chatHistory: ChatHistoryItem[] = history.at(-1)?.type === 'model' ? history : [...history, { type: 'model', response: [] }];
    return resolveChatWrapper(vocab)
      .generateContextState({ chatHistory, availableFunctions: functions, documentFunctionParams: true })
      .contextText.tokenize(vocab.tokenizer).length;
  };
  const USER: ChatHistoryItem[] = [{ type: 'user', text: MESSAGES[0]!.content }];
  const argumentsValid = (tool: Tool, args: string) => ajv.validate(tool.function.parameters, JSON.parse(args));

  it('a named tool_choice returns that call, its arguments valid JSON of the function schema', async () => {
    const res = await gw.client.chat.completions.create({
      model: 'tiny-tools',
      messages: MESSAGES,
      tools: [WEATHER, CLOCK],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_tokens: 200,
      temperature: 0,
    });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.type).toBe('function');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    expect(argumentsValid(WEATHER, call.function.arguments)).toBe(true);
    // The functions were documented to the model: more prompt than the question alone.
    expect(res.usage!.prompt_tokens).toBeGreaterThan(promptTokens(USER));
  });

  it("'required' returns a call of one of the tools, valid for that tool; streamed, the call arrives as tool_calls deltas and no content", async () => {
    const request = { model: 'tiny-tools', messages: MESSAGES, tools: [WEATHER, CLOCK], tool_choice: 'required' as const, max_tokens: 200, temperature: 0 };
    const whole = await gw.client.chat.completions.create(request);
    const call = whole.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    const tool = [WEATHER, CLOCK].find((t) => t.function.name === call.function.name);
    expect(tool).toBeDefined();
    expect(argumentsValid(tool!, call.function.arguments)).toBe(true);

    const stream = await gw.client.chat.completions.create({ ...request, stream: true });
    let content = '';
    const deltas: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(content).toBe('');
    expect(finish).toBe('tool_calls');
    // As OpenAI streams a call: id and name in its first delta, then its arguments as sampled.
    expect(deltas[0]).toMatchObject({ index: 0, id: expect.any(String), type: 'function', function: { name: call.function.name } });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((d) => d.index === 0)).toBe(true);
    expect(deltas.slice(1).every((d) => d.id === undefined && d.function?.name === undefined)).toBe(true);
    expect(JSON.parse(deltas.map((d) => d.function?.arguments ?? '').join(''))).toEqual(JSON.parse(call.function.arguments));
  });

  it("'auto' documents the functions in the model's own template (exact prompt tokens) and answers text or well-formed calls", async () => {
    const res = await gw.client.chat.completions.create({ model: 'tiny-tools', messages: MESSAGES, tools: [WEATHER, CLOCK], max_tokens: 40, temperature: 0 });
    expect(res.usage!.prompt_tokens).toBe(promptTokens(USER, functionsOf([WEATHER, CLOCK])));
    const choice = res.choices[0]!;
    if (choice.finish_reason === 'tool_calls') {
      for (const call of choice.message.tool_calls! as OpenAI.ChatCompletionMessageFunctionToolCall[]) {
        expect(['get_weather', 'get_time']).toContain(call.function.name);
        expect(() => JSON.parse(call.function.arguments)).not.toThrow();
      }
    } else {
      expect(['stop', 'length']).toContain(choice.finish_reason);
      expect(typeof choice.message.content).toBe('string');
    }
  });

  it("'none' offers no function: the prompt is the question alone", async () => {
    const res = await gw.client.chat.completions.create({ model: 'tiny-tools', messages: MESSAGES, tools: [WEATHER], tool_choice: 'none', max_tokens: 8, temperature: 0 });
    expect(res.usage!.prompt_tokens).toBe(promptTokens(USER));
    expect(res.choices[0]!.message.tool_calls ?? []).toEqual([]);
  });

  it('past calls and their tool results reach the model as its template renders them', async () => {
    const args = { city: 'Paris', unit: 'celsius' };
    const result = { temperature: 18, sky: 'clear' };
    const res = await gw.client.chat.completions.create({
      model: 'tiny-tools',
      messages: [
        ...MESSAGES,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: JSON.stringify(args) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: JSON.stringify(result) },
      ],
      tools: [WEATHER],
      max_tokens: 8,
      temperature: 0,
    });
    const history: ChatHistoryItem[] = [...USER, { type: 'model', response: [{ type: 'functionCall', name: 'get_weather', params: args, result }] }];
    expect(res.usage!.prompt_tokens).toBe(promptTokens(history, functionsOf([WEATHER])));
  });

  it('refuses, as a 400 naming the field: a tool result for no earlier call, a tool_choice not in tools, tools with response_format', async () => {
    const status = async (body: Record<string, unknown>) => {
      const err = (await gw.client.chat.completions.create({ model: 'tiny-tools', messages: MESSAGES, ...body } as never).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(err).toBeInstanceOf(OpenAI.APIError);
      return { status: err.status, param: err.param };
    };
    expect(await status({ messages: [...MESSAGES, { role: 'tool', tool_call_id: 'call_9', content: 'x' }], tools: [WEATHER] })).toEqual({
      status: 400,
      param: 'messages[1].tool_call_id',
    });
    expect(await status({ tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'get_time' } } })).toEqual({ status: 400, param: 'tool_choice' });
    expect(await status({ tools: [WEATHER], response_format: { type: 'json_object' } })).toEqual({ status: 400, param: 'response_format' });
  });
});
