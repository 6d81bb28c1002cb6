import type { LlamaContextSequence, LlamaEmbeddingContext, Token } from 'node-llama-cpp';
import { completionTooLong, invalidParam, promptTooLong } from './engine-error.js';
import type { LoadedModel } from './loaded-model.js';
import type { TextRun } from './sse-body.js';
import { createTextChannel, type CallPiece } from './text-channel.js';
import { forcedCallStream } from './forced-call-stream.js';
import type { ChatJob, CompletionJob, EmbeddingsJob, HistoryItem, Sampling } from './wire-request.js';
import { grammarFor } from './output-grammar.js';
import { finishReasonOf, type Generated } from './wire-response.js';
import { forcedCallSchema, parseForcedCall, type ToolJob } from './tool-calls.js';

/**
 * Runs one request on a sequence it holds. Prompt tokens are counted with the model's own
 * tokenizer on the exact text the chat template renders (BOS included, as llama.cpp evaluates
 * it), and checked against the context BEFORE anything is generated, so an oversized request is a
 * 400 and never a silent context shift. Completion tokens are counted as they are sampled.
 */

export interface GenerationTarget {
  loaded: LoadedModel;
  sequence: LlamaContextSequence;
  /** Tokens this sequence holds. */
  contextSize: number;
  /** Fired when the client leaves or the attempt times out; generation stops at the next token. */
  signal: AbortSignal;
}

/** Async only to compile a grammar first (`response_format`, forced tool call), so a schema it cannot take is a 400 before anything streams. */
export async function startChat(target: GenerationTarget, job: ChatJob): Promise<TextRun> {
  const { loaded, sequence, contextSize, signal } = target;
  const wrapper = loaded.chatWrapper;
  const tools = job.tools;
  const forced = tools?.mode.kind === 'forced' ? (tools as ToolJob & { mode: { kind: 'forced' } }) : undefined;
  const offered = tools?.mode.kind === 'auto' ? (tools.functions as never) : undefined;
  const maxParallelCalls = tools?.mode.kind === 'auto' ? tools.mode.maxParallelCalls : undefined;
  // A forced call still tells the model what the functions are, in its template's own words.
  const history: HistoryItem[] = forced
    ? (wrapper.addAvailableFunctionsSystemMessageToHistory(job.history as never, forced.functions as never, { documentParams: true }) as HistoryItem[])
    : job.history;
  const format = forced ? { kind: 'json_schema' as const, schema: forcedCallSchema(forced) } : job.format;
  const grammar = format ? await grammarFor(loaded.model.llama, format) : undefined;
  const rendered = wrapper.generateContextState({ chatHistory: history as never, availableFunctions: offered, documentFunctionParams: true }).contextText;
  const promptTokens = rendered.tokenize(loaded.model.tokenizer).length;
  const maxTokens = tokenBudget(contextSize, promptTokens, job.sampling.maxTokens, 'messages');

  const chat = new loaded.lib.LlamaChat({ contextSequence: sequence, chatWrapper: wrapper, autoDisposeSequence: false });
  const sampling = { ...llamaSamplingOptions(job.sampling), maxTokens, signal, stopOnAbortSignal: true };
  return textRun(
    promptTokens,
    async (hooks) => {
      if (offered) {
        const answer = await chat.generateResponse(history as never, {
          ...sampling,
          onTextChunk: hooks.onTextChunk,
          onToken: hooks.onToken,
          onFunctionCallParamsChunk: (chunk: { callIndex: number; functionName: string; paramsChunk: string }) =>
            hooks.onCallChunk({ call: chunk.callIndex, name: chunk.functionName, args: chunk.paramsChunk }),
          functions: offered,
          documentFunctionParams: true,
          ...(maxParallelCalls ? { maxParallelFunctionCalls: maxParallelCalls } : {}),
        });
        const calls = (answer.functionCalls ?? []) as { functionName: string; params: unknown }[];
        if (calls.length === 0) return { text: answer.response, finishReason: finishReasonOf(answer.metadata.stopReason) };
        return {
          text: answer.response,
          finishReason: 'tool_calls',
          toolCalls: calls.map((call) => ({ name: call.functionName, arguments: JSON.stringify(call.params ?? {}) })),
        };
      }
      // A forced call's JSON is the call, not content: its arguments stream as the call's, never as text.
      const textHooks = forced ? { onToken: hooks.onToken, onTextChunk: forcedCallStream(hooks.onCallChunk) } : { onToken: hooks.onToken, onTextChunk: hooks.onTextChunk };
      const answer = await chat.generateResponse(history as never, { ...sampling, ...textHooks, ...(grammar ? { grammar } : {}) });
      const finishReason = finishReasonOf(answer.metadata.stopReason);
      if (!forced) return { text: answer.response, finishReason };
      // Cut short by max_tokens, the call is incomplete: the text so far, as OpenAI reports `length`.
      if (finishReason === 'length') return { text: answer.response, finishReason };
      return { text: '', finishReason: 'tool_calls', toolCalls: [parseForcedCall(answer.response)] };
    },
    () => chat.dispose({ disposeSequence: false }),
  );
}

export function startCompletion(target: GenerationTarget, job: CompletionJob): TextRun {
  const { loaded, sequence, contextSize, signal } = target;
  const model = loaded.model;
  // LlamaCompletion prepends BOS itself when the vocabulary wants one, and then tokenizes the
  // prompt without a leading space; count exactly that.
  const bos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null;
  const promptTokens = model.tokenize(job.prompt, false, bos ? 'trimLeadingSpace' : undefined).length + (bos ? 1 : 0);
  const maxTokens = tokenBudget(contextSize, promptTokens, job.sampling.maxTokens, 'prompt');

  const completion = new loaded.lib.LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
  return textRun(
    promptTokens,
    (hooks) =>
      completion
        .generateCompletionWithMeta(job.prompt, {
          ...llamaSamplingOptions(job.sampling),
          maxTokens,
          // The budget above already fits the context; a shift would drop the start of the prompt unannounced.
          disableContextShift: true,
          signal,
          stopOnAbortSignal: true,
          onTextChunk: hooks.onTextChunk,
          onToken: hooks.onToken,
        })
        .then((answer) => ({ text: answer.response, finishReason: finishReasonOf(answer.metadata.stopReason) })),
    () => completion.dispose({ disposeSequence: false }),
  );
}

interface GenerationHooks {
  onTextChunk: (text: string) => void;
  /** More of a tool call's arguments, as sampled. */
  onCallChunk: (piece: CallPiece) => void;
  onToken: (tokens: readonly unknown[]) => void;
}

/** Streams a generation's text through a channel and counts its sampled tokens; `dispose` runs once it ends, however. */
function textRun(
  promptTokens: number,
  generate: (hooks: GenerationHooks) => Promise<Omit<Generated, 'promptTokens' | 'completionTokens'>>,
  dispose: () => void,
): TextRun {
  const channel = createTextChannel();
  let completionTokens = 0;
  const result = generate({ onTextChunk: channel.push, onCallChunk: channel.push, onToken: (tokens) => (completionTokens += tokens.length) })
    .then((answer): Generated => ({ ...answer, promptTokens, completionTokens }))
    .finally(() => {
      channel.close();
      dispose();
    });
  return { pieces: channel.pieces, result };
}

export async function embed(
  target: { loaded: LoadedModel; context: LlamaEmbeddingContext; contextSize: number; signal: AbortSignal },
  job: EmbeddingsJob,
): Promise<{ vectors: (readonly number[])[]; promptTokens: number }> {
  const { loaded, context, contextSize, signal } = target;
  const dimension = loaded.model.embeddingVectorSize;
  if (job.dimensions !== undefined && job.dimensions !== dimension) {
    throw invalidParam('dimensions', `This model's embeddings have ${dimension} dimensions; 'dimensions' must be ${dimension} or absent.`);
  }
  const inputs = job.inputs.map((input) => (typeof input === 'string' ? input : (input as Token[])));
  const lengths = inputs.map((input) => context.calculateInputLength(input));
  lengths.forEach((length, index) => {
    if (length > contextSize) throw promptTooLong(contextSize, length, job.inputs.length === 1 ? 'input' : `input[${index}]`);
  });
  const vectors: (readonly number[])[] = [];
  for (const input of inputs) {
    if (signal.aborted) throw signal.reason;
    vectors.push((await context.getEmbeddingFor(input)).vector);
  }
  return { vectors, promptTokens: lengths.reduce((sum, n) => sum + n, 0) };
}

/** Tokens the answer may use: what was asked if it fits, else a 400; without a limit, the rest of the context. */
function tokenBudget(contextSize: number, promptTokens: number, requested: number | undefined, what: string): number {
  if (promptTokens >= contextSize) throw promptTooLong(contextSize, promptTokens, what);
  if (requested === undefined) return contextSize - promptTokens;
  if (promptTokens + requested > contextSize) throw completionTooLong(contextSize, promptTokens, requested);
  return requested;
}

/** OpenAI sampling fields → node-llama-cpp generation options. */
export function llamaSamplingOptions(sampling: Sampling) {
  const penalised = sampling.presencePenalty !== undefined || sampling.frequencyPenalty !== undefined;
  return {
    temperature: sampling.temperature,
    topP: sampling.topP,
    seed: sampling.seed,
    customStopTriggers: sampling.stop.length > 0 ? sampling.stop : undefined,
    // OpenAI semantics: no repetition penalty unless asked (node-llama-cpp applies 1.1 by default).
    repeatPenalty: penalised
      ? { penalty: 1, presencePenalty: sampling.presencePenalty, frequencyPenalty: sampling.frequencyPenalty }
      : (false as const),
  };
}
