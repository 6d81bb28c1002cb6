/**
 * The engine's answers in OpenAI's wire format (chat.completion, chat.completion.chunk,
 * text_completion, embeddings list, SSE framing). Pure: ids and times come in `ResponseMeta`.
 */

import type { ToolCall } from './tool-calls.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface ResponseMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  /** Echoed upstream model id; the gateway shows tenants the public name instead. */
  model: string;
}

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface Generated {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  /** Calls the model made (finish reason `tool_calls`). */
  toolCalls?: ToolCall[];
}

/**
 * node-llama-cpp stop reasons → OpenAI's. `maxTokens` is `length`; end of generation, a stop
 * sequence or the template's own stop trigger is `stop`. An abort only happens when the client
 * has gone, so nobody reads its reason.
 */
export function finishReasonOf(stopReason: string): FinishReason {
  return stopReason === 'maxTokens' ? 'length' : 'stop';
}

export function usageOf(promptTokens: number, completionTokens: number): WireUsage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function chatCompletionJson(meta: ResponseMeta, result: Generated): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: chatMessage(meta, result), logprobs: null, finish_reason: result.finishReason }],
    usage: usageOf(result.promptTokens, result.completionTokens),
  };
}

function chatMessage(meta: ResponseMeta, result: Generated): Record<string, unknown> {
  if (!result.toolCalls?.length) return { role: 'assistant', content: result.text };
  return { role: 'assistant', content: result.text === '' ? null : result.text, tool_calls: result.toolCalls.map((call, i) => wireToolCall(meta, call, i)) };
}

/** OpenAI's tool call object; ids are unique per response (`call_<response id>_<n>`). */
export function wireToolCall(meta: ResponseMeta, call: ToolCall, index: number): { id: string; type: 'function'; function: ToolCall } {
  return { id: `call_${meta.id}_${index}`, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

/** One streamed chat chunk: the opening `{role}` delta, a `{content}` or `{tool_calls}` delta, or the closing finish reason. */
export function chatChunk(
  meta: ResponseMeta,
  delta: { role?: 'assistant'; content?: string; tool_calls?: unknown[] },
  finishReason: FinishReason | null = null,
): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The last chunk when `stream_options.include_usage`: no choices, only usage (OpenAI's shape). */
export function chatUsageChunk(meta: ResponseMeta, usage: WireUsage): Record<string, unknown> {
  return { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage };
}

export function textCompletionJson(meta: ResponseMeta, result: Generated): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, text: result.text, logprobs: null, finish_reason: result.finishReason }],
    usage: usageOf(result.promptTokens, result.completionTokens),
  };
}

export function textCompletionChunk(meta: ResponseMeta, text: string, finishReason: FinishReason | null = null): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
  };
}

export function textCompletionUsageChunk(meta: ResponseMeta, usage: WireUsage): Record<string, unknown> {
  return { id: meta.id, object: 'text_completion', created: meta.created, model: meta.model, choices: [], usage };
}

export function embeddingsJson(model: string, vectors: readonly (readonly number[])[], promptTokens: number): Record<string, unknown> {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding: [...embedding] })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

export function sseFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';
