import { describe, expect, it } from 'vitest';
import { LocalEngineError } from '../../../../src/providers/local/engine-error.js';
import { forcedCallSchema, parseForcedCall } from '../../../../src/providers/local/tool-calls.js';
import { parseChatBody, parseCompletionBody, parseEmbeddingsBody } from '../../../../src/providers/local/wire-request.js';
import { llamaSamplingOptions } from '../../../../src/providers/local/run-generation.js';

/** OpenAI wire bodies, as the shared adapter builds them for `kind: local`, → engine jobs. */

const refusal = (fn: () => unknown): LocalEngineError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof LocalEngineError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('parseChatBody', () => {
  it('maps roles to chat-template turns and adds the empty answer turn', () => {
    const job = parseChatBody({
      model: '/m/stories.gguf',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hello ' }, { type: 'text', text: 'there' }] },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'A story?' },
      ],
    });
    expect(job.model).toBe('/m/stories.gguf');
    expect(job.history).toEqual([
      { type: 'system', text: 'Be brief.' },
      { type: 'user', text: 'Hello there' },
      { type: 'model', response: ['Hi!'] },
      { type: 'user', text: 'A story?' },
      { type: 'model', response: [] },
    ]);
  });

  it('a trailing assistant message is a prefix the model continues', () => {
    const job = parseChatBody({ model: 'm', messages: [{ role: 'user', content: 'Go' }, { role: 'assistant', content: 'Once' }] });
    expect(job.history.at(-1)).toEqual({ type: 'model', response: ['Once'] });
  });

  it('maps sampling options; max_completion_tokens wins over max_tokens; OpenAI defaults otherwise', () => {
    const job = parseChatBody({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 50,
      max_completion_tokens: 20,
      temperature: 0,
      top_p: 0.9,
      seed: 7,
      stop: 'END',
      presence_penalty: 0.5,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(job.sampling).toEqual({ maxTokens: 20, temperature: 0, topP: 0.9, seed: 7, stop: ['END'], presencePenalty: 0.5 });
    expect(job).toMatchObject({ stream: true, includeUsage: true });
    expect(parseChatBody({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).toMatchObject({
      sampling: { temperature: 1, stop: [] },
      stream: false,
      includeUsage: false,
    });
  });

  it.each([
    [{ functions: [{ name: 'f' }] }, 'functions'],
    [{ tools: [{ type: 'function', function: { name: 'f' } }], response_format: { type: 'json_object' } }, 'response_format'],
    [{ tools: [{ type: 'code_interpreter' }] }, 'tools[0].type'],
    [{ n: 2 }, 'n'],
    [{ logprobs: true }, 'logprobs'],
  ])('refuses what it cannot honour (%j) with a 400 naming %s', (extra, param) => {
    const err = refusal(() => parseChatBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...extra }));
    expect(err).toMatchObject({ status: 400, code: 'unsupported_parameter', param });
  });

  it('maps response_format to a grammar-constrained output format; text is no format', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    expect(parseChatBody({ ...base, response_format: { type: 'json_object' } }).format).toEqual({ kind: 'json_object' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    expect(parseChatBody({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'place', schema } } }).format).toEqual({ kind: 'json_schema', schema });
    expect(parseChatBody({ ...base, response_format: { type: 'text' } }).format).toBeUndefined();
    expect(refusal(() => parseChatBody({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'x' } } }))).toMatchObject({ status: 400, param: 'response_format.json_schema.schema' });
    expect(refusal(() => parseChatBody({ ...base, response_format: { type: 'yaml' } }))).toMatchObject({ status: 400, param: 'response_format.type' });
  });

  it('accepts the defaults of those fields', () => {
    expect(() => parseChatBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 1, tools: [], response_format: { type: 'text' } })).not.toThrow();
  });

  it.each([
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'tool', content: 'x', tool_call_id: 't' }] }, 'messages[0].tool_call_id'],
    [{ messages: [{ role: 'critic', content: 'x' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{' } }] }] }, 'messages[1].tool_calls[0].function.arguments'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'bad name' } }] }, 'tools[0].function.name'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'sometimes' }, 'tool_choice'],
    [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:' } }] }] }, 'messages[0].content[0]'],
    [{ messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature'],
    [{ messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
    [{ messages: [{ role: 'user', content: 'x' }], stop: [''] }, 'stop'],
    [{ messages: [{ role: 'user', content: 'x' }], seed: 1.5 }, 'seed'],
  ])('refuses bad input %j with a 400 naming %s', (body, param) => {
    expect(refusal(() => parseChatBody({ model: 'm', ...body }))).toMatchObject({ status: 400, param });
  });
});

describe('parseCompletionBody', () => {
  it('takes one prompt (a string or a one-element list)', () => {
    expect(parseCompletionBody({ model: 'm', prompt: ['Once'], max_tokens: 5, stop: ['.'] })).toMatchObject({
      prompt: 'Once',
      sampling: { maxTokens: 5, stop: ['.'] },
    });
  });

  it('refuses batches, echo, suffix and best_of', () => {
    expect(refusal(() => parseCompletionBody({ model: 'm', prompt: ['a', 'b'] }))).toMatchObject({ status: 400, param: 'prompt' });
    expect(refusal(() => parseCompletionBody({ model: 'm', prompt: 'a', echo: true }))).toMatchObject({ param: 'echo' });
    expect(refusal(() => parseCompletionBody({ model: 'm', prompt: 'a', suffix: 'z' }))).toMatchObject({ param: 'suffix' });
    expect(refusal(() => parseCompletionBody({ model: 'm', prompt: 'a', best_of: 3 }))).toMatchObject({ param: 'best_of' });
  });
});

describe('parseEmbeddingsBody', () => {
  it('takes a text, a list of texts, or token id arrays', () => {
    expect(parseEmbeddingsBody({ model: 'm', input: 'hi' }).inputs).toEqual(['hi']);
    expect(parseEmbeddingsBody({ model: 'm', input: ['a', 'b'] }).inputs).toEqual(['a', 'b']);
    expect(parseEmbeddingsBody({ model: 'm', input: [1, 2, 3] }).inputs).toEqual([[1, 2, 3]]);
    expect(parseEmbeddingsBody({ model: 'm', input: [[1, 2], [3]], dimensions: 64 })).toMatchObject({ inputs: [[1, 2], [3]], dimensions: 64 });
  });

  it('refuses an empty or mistyped input, naming the item', () => {
    expect(refusal(() => parseEmbeddingsBody({ model: 'm', input: [] }))).toMatchObject({ status: 400, param: 'input' });
    expect(refusal(() => parseEmbeddingsBody({ model: 'm', input: ['a', { x: 1 }] }))).toMatchObject({ param: 'input[1]' });
  });
});

describe('llamaSamplingOptions', () => {
  it('maps OpenAI sampling onto node-llama-cpp options', () => {
    const { sampling } = parseChatBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 0.7, top_p: 0.5, seed: 3, stop: ['The end', '\n\n'] });
    expect(llamaSamplingOptions(sampling)).toEqual({
      temperature: 0.7,
      topP: 0.5,
      seed: 3,
      customStopTriggers: ['The end', '\n\n'],
      repeatPenalty: false,
    });
  });

  it('applies only the penalties asked for (no hidden 1.1 repeat penalty)', () => {
    const { sampling } = parseChatBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], frequency_penalty: 0.4 });
    expect(llamaSamplingOptions(sampling)).toMatchObject({
      temperature: 1,
      customStopTriggers: undefined,
      repeatPenalty: { penalty: 1, presencePenalty: undefined, frequencyPenalty: 0.4 },
    });
  });
});

describe('parseChatBody: tools', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: 'Weather?' }] };
  const weather = { type: 'function', function: { name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
  const clock = { type: 'function', function: { name: 'get_time' } };

  it('offers the functions to the model by default (auto); parallel_tool_calls false allows one call', () => {
    expect(parseChatBody({ ...base, tools: [weather, clock] }).tools).toEqual({
      functions: { get_weather: { description: 'Weather.', params: weather.function.parameters }, get_time: {} },
      mode: { kind: 'auto' },
    });
    expect(parseChatBody({ ...base, tools: [weather], parallel_tool_calls: false }).tools?.mode).toEqual({ kind: 'auto', maxParallelCalls: 1 });
  });

  it("forces a call for 'required' (any tool) and for a named function (that one); 'none' offers nothing", () => {
    expect(parseChatBody({ ...base, tools: [weather, clock], tool_choice: 'required' }).tools?.mode).toEqual({ kind: 'forced', names: ['get_weather', 'get_time'] });
    expect(parseChatBody({ ...base, tools: [weather, clock], tool_choice: { type: 'function', function: { name: 'get_time' } } }).tools?.mode).toEqual({ kind: 'forced', names: ['get_time'] });
    expect(parseChatBody({ ...base, tools: [weather], tool_choice: 'none' }).tools).toBeUndefined();
  });

  it('the grammar of a forced call admits only the allowed names, each with its own arguments schema', () => {
    const one = parseChatBody({ ...base, tools: [weather, clock], tool_choice: { type: 'function', function: { name: 'get_weather' } } }).tools!;
    expect(forcedCallSchema(one as never)).toEqual({
      type: 'object',
      properties: { name: { const: 'get_weather' }, arguments: weather.function.parameters },
      required: ['name', 'arguments'],
    });
    const any = parseChatBody({ ...base, tools: [weather, clock], tool_choice: 'required' }).tools!;
    expect((forcedCallSchema(any as never).oneOf as unknown[]).map((v) => (v as { properties: { name: unknown; arguments: unknown } }).properties)).toEqual([
      { name: { const: 'get_weather' }, arguments: weather.function.parameters },
      { name: { const: 'get_time' }, arguments: { type: 'object' } },
    ]);
    expect(parseForcedCall('{"name":"get_time","arguments":{"zone":"UTC"}}')).toEqual({ name: 'get_time', arguments: '{"zone":"UTC"}' });
  });

  it("an assistant turn's calls carry the results of the tool messages that answer them, in its model turn", () => {
    const job = parseChatBody({
      ...base,
      messages: [
        ...base.messages,
        {
          role: 'assistant',
          content: 'Let me look.',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'b', content: '12:00' },
        { role: 'tool', tool_call_id: 'a', content: [{ type: 'text', text: '{"sky":"clear"}' }] },
      ],
      tools: [weather, clock],
    });
    expect(job.history).toEqual([
      { type: 'user', text: 'Weather?' },
      {
        type: 'model',
        response: [
          'Let me look.',
          { type: 'functionCall', name: 'get_weather', params: { city: 'Paris' }, result: { sky: 'clear' } },
          { type: 'functionCall', name: 'get_time', params: {}, result: '12:00' },
        ],
      },
    ]);
  });
});
