import { toLocalEngineError } from './engine-error.js';
import type { RunPiece } from './text-channel.js';
import {
  SSE_DONE,
  chatChunk,
  chatUsageChunk,
  sseFrame,
  textCompletionChunk,
  textCompletionUsageChunk,
  usageOf,
  wireToolCall,
  type Generated,
  type ResponseMeta,
} from './wire-response.js';

/** A generation in progress: text and tool-call arguments as they are decoded, then the outcome. */
export interface TextRun {
  pieces: AsyncIterable<RunPiece>;
  result: Promise<Generated>;
}

/**
 * A chat stream as OpenAI sends it: a `{role}` chunk, one chunk per decoded piece of content, tool
 * calls as OpenAI streams them (the first delta of a call carries its id and name, the following
 * ones more of its arguments), a chunk with the finish reason, the usage chunk when asked,
 * `[DONE]`. A failure after the first frame becomes a `data: {"error":…}` frame, which the shared
 * stream decoder turns into the client's error event.
 */
export async function* chatSse(meta: ResponseMeta, run: TextRun, includeUsage: boolean): AsyncGenerator<string, void, void> {
  yield sseFrame(chatChunk(meta, { role: 'assistant', content: '' }));
  try {
    const streamed = new Set<number>();
    for await (const piece of run.pieces) {
      if (typeof piece === 'string') {
        if (piece !== '') yield sseFrame(chatChunk(meta, { content: piece }));
        continue;
      }
      const index = piece.call;
      const delta = streamed.has(index)
        ? { index, function: { arguments: piece.args } }
        : { index, ...wireToolCall(meta, { name: piece.name, arguments: piece.args }, index) };
      streamed.add(index);
      yield sseFrame(chatChunk(meta, { tool_calls: [delta] }));
    }
    const result = await run.result;
    // A call whose arguments were not streamed as sampled goes out whole: one delta, arguments complete.
    for (const [index, call] of (result.toolCalls ?? []).entries()) {
      if (!streamed.has(index)) yield sseFrame(chatChunk(meta, { tool_calls: [{ index, ...wireToolCall(meta, call, index) }] }));
    }
    yield sseFrame(chatChunk(meta, {}, result.finishReason));
    if (includeUsage) yield sseFrame(chatUsageChunk(meta, usageOf(result.promptTokens, result.completionTokens)));
    yield SSE_DONE;
  } catch (err) {
    yield sseFrame(toLocalEngineError(err).toJSON());
  }
}

/** The same for legacy `/completions` (`text_completion` chunks); it has no opening role chunk. */
export async function* completionSse(meta: ResponseMeta, run: TextRun, includeUsage: boolean): AsyncGenerator<string, void, void> {
  try {
    for await (const piece of run.pieces) if (typeof piece === 'string' && piece !== '') yield sseFrame(textCompletionChunk(meta, piece));
    const result = await run.result;
    yield sseFrame(textCompletionChunk(meta, '', result.finishReason));
    if (includeUsage) yield sseFrame(textCompletionUsageChunk(meta, usageOf(result.promptTokens, result.completionTokens)));
    yield SSE_DONE;
  } catch (err) {
    yield sseFrame(toLocalEngineError(err).toJSON());
  }
}
