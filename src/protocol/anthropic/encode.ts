import type { ChatMessage, ChatResponse, FinishReason, Usage } from '../chat.js';
import { BaimoError } from '../errors.js';
import { errorHeaders } from '../openai/encode.js';

/**
 * The Anthropic Messages surface codec, outbound (CATALOG.md §3): a canonical response as a
 * Messages `message`, usage and stop reasons in Anthropic's terms, and Baimo's errors in
 * Anthropic's error shape. The stream encoder (stream-encoder.ts) builds on the same pieces.
 */

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/**
 * The single mapping from Baimo's error hierarchy to Anthropic's error JSON. The status is kept
 * (the official SDKs pick their error class from it); the type is the one Anthropic uses for that
 * status (§3), and `retry-after` / `x-should-retry` steer the SDKs' retries as on the OpenAI surface.
 */
export function encodeAnthropicError(err: BaimoError): { status: number; headers: Record<string, string>; body: AnthropicErrorBody } {
  return { status: err.status, headers: errorHeaders(err), body: { type: 'error', error: { type: anthropicErrorType(err.status), message: err.message } } };
}

export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/** canonical finish reason → `stop_reason` (the inverse of the Anthropic adapter's map, §3). */
export function toStopReason(reason: FinishReason | null | undefined): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      // OpenAI's `stop` does not say whether a stop sequence ended the turn.
      return 'end_turn';
  }
}

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/**
 * canonical usage → Anthropic usage: Anthropic's `input_tokens` excludes cached input, which
 * OpenAI's `prompt_tokens` includes (§3), so cache reads and writes are taken out and reported
 * apart. No usage reported upstream is 0 here: Anthropic's shape has no "unknown".
 */
export function toAnthropicUsage(usage: Usage | undefined): AnthropicUsage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const details = usage.prompt_tokens_details;
  const cacheRead = details?.cached_tokens ?? 0;
  const cacheWrite = typeof details?.cache_creation_tokens === 'number' ? details.cache_creation_tokens : 0;
  const out: AnthropicUsage = { input_tokens: Math.max(0, usage.prompt_tokens - cacheRead - cacheWrite), output_tokens: usage.completion_tokens };
  if (details?.cached_tokens !== undefined || cacheWrite > 0) {
    out.cache_creation_input_tokens = cacheWrite;
    out.cache_read_input_tokens = cacheRead;
  }
  return out;
}

/** A Messages `message` for a canonical response, under the public model name. */
export function encodeMessageResponse(res: ChatResponse, publicModel: string, id: string): Record<string, unknown> {
  const choice = res.choices[0];
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: publicModel,
    content: choice ? contentBlocks(choice.message) : [],
    stop_reason: toStopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(res.usage),
  };
}

/**
 * Thinking first (as Anthropic orders it), then text, then one `tool_use` per call. Translated
 * answers come from families whose reasoning is unsigned (Anthropic deployments are served
 * natively), so `signature` is empty; such blocks are accepted back in later turns
 * (request-schema.ts) and never sent to Anthropic (providers/anthropic/native.ts).
 */
function contentBlocks(message: ChatMessage): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (message.reasoning_content) blocks.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' });
  const text = textOf(message.content);
  const refusal = typeof message.refusal === 'string' ? message.refusal : '';
  if (text || refusal) blocks.push({ type: 'text', text: text + refusal });
  for (const call of message.tool_calls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  }
  return blocks;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

/**
 * `tool_use.input` is an object where OpenAI's `arguments` is a string that may hold anything
 * (§1.2). Empty arguments are a call without parameters; anything else that is not a JSON object
 * cannot be expressed, and is the upstream's malformed answer rather than a silent `{}`.
 */
export function toolInput(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(args);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new BaimoError('upstream', 'The model returned tool-call arguments that are not a JSON object.', {
    status: 502,
    code: 'upstream_malformed_response',
  });
}
