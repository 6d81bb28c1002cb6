import { describe, expect, it } from 'vitest';
import type { DecodeContext } from '../../../../src/providers/adapter.js';
import { createOpenAICompatibleAdapter } from '../../../../src/providers/openai-compatible/index.js';
import { createSseFramer } from '../../../../src/providers/sse.js';
import {
  LocalEngineError,
  completionTooLong,
  engineOverloaded,
  modelFileNotFound,
  promptTooLong,
} from '../../../../src/providers/local/engine-error.js';
import { chatSse, completionSse, type TextRun } from '../../../../src/providers/local/sse-body.js';
import type { RunPiece } from '../../../../src/providers/local/text-channel.js';
import { LOCAL_VENDOR } from '../../../../src/providers/local/vendor.js';
import {
  chatCompletionJson,
  embeddingsJson,
  finishReasonOf,
  textCompletionJson,
  type Generated,
} from '../../../../src/providers/local/wire-response.js';

/**
 * The engine's answers are OpenAI's wire format: checked as bytes, and by reading them back with
 * the shared adapter configured by LOCAL_VENDOR (what the gateway does).
 */

const META = { id: 'chatcmpl-1', created: 1_700_000_000, model: '/m/stories.gguf' };
const RESULT: Generated = { text: 'Once upon', finishReason: 'length', promptTokens: 12, completionTokens: 2 };
const ctx: DecodeContext = { newId: (p) => `${p}-x`, nowSeconds: () => 1 };
const adapter = createOpenAICompatibleAdapter(LOCAL_VENDOR);

const runOf = (pieces: RunPiece[], result: Promise<Generated> = Promise.resolve(RESULT)): TextRun => ({
  pieces: (async function* () {
    yield* pieces;
  })(),
  result,
});
const collect = async (frames: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
};
const dataOf = (frame: string) => (frame.startsWith('data: [DONE]') ? '[DONE]' : JSON.parse(frame.slice('data: '.length)));

describe('finish reasons', () => {
  it.each([
    ['maxTokens', 'length'],
    ['eogToken', 'stop'],
    ['stopGenerationTrigger', 'stop'],
    ['customStopTrigger', 'stop'],
  ])('%s → %s', (stopReason, finish) => expect(finishReasonOf(stopReason)).toBe(finish));
});

describe('non-stream bodies', () => {
  it('chat.completion with usage, parsed by the shared adapter', () => {
    const json = chatCompletionJson(META, RESULT);
    expect(json).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: '/m/stories.gguf',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Once upon' }, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
    });
    const parsed = adapter.chat.parse(json, ctx);
    expect(parsed.choices[0]).toMatchObject({ message: { content: 'Once upon' }, finish_reason: 'length' });
    expect(parsed.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 2 });
  });

  it('text_completion and embeddings', () => {
    expect(textCompletionJson(META, { ...RESULT, finishReason: 'stop' })).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, text: 'Once upon', finish_reason: 'stop' }],
      usage: { total_tokens: 14 },
    });
    const embeddings = embeddingsJson('m', [[0.5, -1], [2, 0]], 9);
    expect(adapter.embeddings!.parse(embeddings, ctx)).toMatchObject({
      data: [{ index: 0, embedding: [0.5, -1] }, { index: 1, embedding: [2, 0] }],
      usage: { prompt_tokens: 9, total_tokens: 9 },
    });
  });
});

describe('chat SSE', () => {
  it('role chunk, one chunk per piece, finish chunk, usage chunk, [DONE]', async () => {
    const frames = await collect(chatSse(META, runOf(['Once', ' upon', '']), true));
    expect(frames.map(dataOf)).toEqual([
      expect.objectContaining({ object: 'chat.completion.chunk', choices: [expect.objectContaining({ delta: { role: 'assistant', content: '' }, finish_reason: null })] }),
      expect.objectContaining({ choices: [expect.objectContaining({ delta: { content: 'Once' } })] }),
      expect.objectContaining({ choices: [expect.objectContaining({ delta: { content: ' upon' } })] }),
      expect.objectContaining({ choices: [expect.objectContaining({ delta: {}, finish_reason: 'length' })] }),
      expect.objectContaining({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } }),
      '[DONE]',
    ]);
    expect(frames.every((f) => f.endsWith('\n\n'))).toBe(true);
  });

  it('no usage chunk unless asked', async () => {
    const frames = (await collect(chatSse(META, runOf(['a']), false))).map(dataOf);
    expect(frames.some((f) => typeof f === 'object' && 'usage' in f)).toBe(false);
  });

  it('decodes through the shared adapter into text deltas, finish and usage', async () => {
    const framer = createSseFramer();
    const decoder = adapter.chat.decoder(ctx);
    const events = [];
    for (const frame of await collect(chatSse(META, runOf(['Once', ' upon']), true))) {
      for (const message of framer.feed(frame)) events.push(...decoder.push(message));
    }
    events.push(...decoder.end());
    expect(decoder.done).toBe(true);
    expect(events.filter((e) => e.type === 'delta').map((e) => (e as { content?: string }).content ?? '').join('')).toBe('Once upon');
    expect(events).toContainEqual({ type: 'finish', index: 0, reason: 'length' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'usage', usage: expect.objectContaining({ prompt_tokens: 12, completion_tokens: 2 }) }));
  });

  it('tool calls stream as OpenAI does: id and name first, then arguments piece by piece; a call not streamed goes out whole', async () => {
    const result: Generated = {
      text: '',
      finishReason: 'tool_calls',
      promptTokens: 12,
      completionTokens: 9,
      toolCalls: [
        { name: 'get_weather', arguments: '{"city":"Paris"}' },
        { name: 'get_time', arguments: '{"zone":"CET"}' },
      ],
    };
    const pieces: RunPiece[] = [{ call: 0, name: 'get_weather', args: '{"ci' }, { call: 0, name: 'get_weather', args: 'ty": "Paris"}' }];
    const frames = (await collect(chatSse(META, runOf(pieces, Promise.resolve(result)), false))).map(dataOf);
    const deltas = frames.flatMap((f) => (typeof f === 'object' ? (f.choices[0]?.delta.tool_calls ?? []) : []));
    expect(deltas).toEqual([
      { index: 0, id: 'call_chatcmpl-1_0', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } },
      { index: 0, function: { arguments: 'ty": "Paris"}' } },
      { index: 1, id: 'call_chatcmpl-1_1', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } },
    ]);
    expect(frames.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });

    // The shared decoder (what the gateway runs) puts the pieces back together.
    const framer = createSseFramer();
    const decoder = adapter.chat.decoder(ctx);
    const events = [];
    for (const frame of await collect(chatSse(META, runOf(pieces, Promise.resolve(result)), false))) {
      for (const message of framer.feed(frame)) events.push(...decoder.push(message));
    }
    events.push(...decoder.end());
    const calls = events.flatMap((e) => (e.type === 'delta' ? (e.tool_calls ?? []) : []));
    const argsOf = (index: number) => JSON.parse(calls.filter((c) => c.index === index).map((c) => c.arguments ?? '').join(''));
    expect(calls.filter((c) => c.name !== undefined).map((c) => [c.index, c.id, c.name])).toEqual([[0, 'call_chatcmpl-1_0', 'get_weather'], [1, 'call_chatcmpl-1_1', 'get_time']]);
    expect(argsOf(0)).toEqual({ city: 'Paris' });
    expect(argsOf(1)).toEqual({ zone: 'CET' });
  });

  it('a failure after the first frame becomes an OpenAI error frame the decoder reports', async () => {
    const failing = runOf(['Once'], Promise.reject(new Error('llama.cpp fell over')));
    const frames = await collect(chatSse(META, failing, true));
    expect(dataOf(frames.at(-1)!)).toEqual({ error: expect.objectContaining({ type: 'server_error', code: 'internal_error' }) });
    const decoder = adapter.chat.decoder(ctx);
    const framer = createSseFramer();
    const events = frames.flatMap((f) => framer.feed(f).flatMap((m) => decoder.push(m)));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status: 502, retryable: true } });
  });
});

describe('completion SSE', () => {
  it('carries text only', async () => {
    const frames = (await collect(completionSse(META, runOf(['Once', { call: 0, name: 'f', args: '{}' }]), false))).map(dataOf);
    expect(frames.filter((f) => typeof f === 'object').map((f) => f.choices[0].text)).toEqual(['Once', '']);
  });

  it('text_completion chunks, finish, usage, [DONE]', async () => {
    const frames = (await collect(completionSse(META, runOf(['Once']), true))).map(dataOf);
    expect(frames).toEqual([
      expect.objectContaining({ object: 'text_completion', choices: [expect.objectContaining({ text: 'Once', finish_reason: null })] }),
      expect.objectContaining({ choices: [expect.objectContaining({ text: '', finish_reason: 'length' })] }),
      expect.objectContaining({ choices: [], usage: expect.objectContaining({ total_tokens: 14 }) }),
      '[DONE]',
    ]);
  });
});

describe('errors as an upstream gives them, classified by the shared adapter', () => {
  const mapped = (err: LocalEngineError) =>
    adapter.mapError({ status: err.status, headers: err.retryAfter ? { 'retry-after': String(err.retryAfter) } : {}, body: JSON.stringify(err.toJSON()) });

  it('a missing GGUF file: 404 model_not_found naming the path; the router fails over', () => {
    const err = mapped(modelFileNotFound('/srv/models/ghost.gguf'));
    expect(err).toMatchObject({ status: 404, code: 'model_not_found', failure: 'not_found' });
    expect(err.message).toContain('/srv/models/ghost.gguf');
  });

  it('a prompt or budget beyond the context: 400 context_length_exceeded, the caller fault', () => {
    expect(mapped(promptTooLong(512, 700))).toMatchObject({ status: 400, code: 'context_length_exceeded', failure: 'caller', retryable: false });
    expect(mapped(completionTooLong(512, 100, 500))).toMatchObject({ status: 400, code: 'context_length_exceeded', param: 'max_tokens' });
  });

  it('a full queue: 503 overloaded, retryable after a second', () => {
    expect(mapped(engineOverloaded('all 1 sequence(s) busy'))).toMatchObject({ status: 503, code: 'overloaded', retryable: true, retryAfter: 1 });
  });
});
