import type { ChatMessage, ChatResponse, FinishReason, Usage } from '../chat.js';
import type { ResponsesRequest } from './request-schema.js';
import type {
  FunctionCallItem,
  MessageItem,
  OutputItem,
  ResponseEnvelope,
  ResponseError,
  ResponseObject,
  ResponseStatus,
  ResponseUsage,
} from './types.js';

/**
 * The Responses surface codec, outbound (CATALOG.md §1.4): a canonical chat answer becomes a
 * Response object — reasoning item, message item, function_call items — with OpenAI's usage
 * names. Clients see the public model name, never the upstream's; replay data (`provider_data`)
 * never leaves the server.
 */

export interface EnvelopeIds {
  id: string;
  /** Seconds since the epoch. */
  createdAt: number;
}

/** The request fields the Response object echoes, fixed when the request is accepted. */
export function envelopeOf(req: ResponsesRequest, ids: EnvelopeIds): ResponseEnvelope {
  const text: ResponseEnvelope['text'] = { format: req.textFormat };
  if (req.verbosity) text.verbosity = req.verbosity;
  return {
    id: ids.id,
    created_at: ids.createdAt,
    model: req.model,
    instructions: req.instructions,
    previous_response_id: req.previousResponseId,
    tools: req.tools,
    tool_choice: req.toolChoice ?? 'auto',
    parallel_tool_calls: req.parallelToolCalls ?? true,
    temperature: req.temperature,
    top_p: req.topP,
    max_output_tokens: req.maxOutputTokens,
    reasoning: req.reasoning,
    text,
    truncation: 'disabled',
    metadata: req.metadata,
    store: req.store,
    user: req.user,
  };
}

export interface ResponseOutcome {
  status: ResponseStatus;
  output: OutputItem[];
  usage?: Usage;
  error?: ResponseError;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
}

/** A Response object in OpenAI's field order. */
export function responseObject(env: ResponseEnvelope, outcome: ResponseOutcome): ResponseObject {
  return {
    id: env.id,
    object: 'response',
    created_at: env.created_at,
    status: outcome.status,
    background: false,
    error: outcome.error ?? null,
    incomplete_details: outcome.incompleteReason ? { reason: outcome.incompleteReason } : null,
    instructions: env.instructions,
    max_output_tokens: env.max_output_tokens,
    model: env.model,
    output: outcome.output,
    parallel_tool_calls: env.parallel_tool_calls,
    previous_response_id: env.previous_response_id,
    reasoning: env.reasoning,
    store: env.store,
    temperature: env.temperature,
    text: env.text,
    tool_choice: env.tool_choice,
    tools: env.tools,
    top_p: env.top_p,
    truncation: env.truncation,
    usage: outcome.usage ? toResponseUsage(outcome.usage) : null,
    user: env.user,
    metadata: env.metadata,
  };
}

export function toResponseUsage(u: Usage): ResponseUsage {
  return {
    input_tokens: u.prompt_tokens,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: u.completion_tokens,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: u.total_tokens,
  };
}

/** A cut-off answer is `incomplete` with the reason, as OpenAI reports it; anything else completed. */
export function finishOutcome(reason: FinishReason | undefined): Pick<ResponseOutcome, 'status' | 'incompleteReason'> {
  if (reason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (reason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

/** Non-stream: the first choice of a canonical answer → the Response object. */
export function encodeResponse(env: ResponseEnvelope, res: ChatResponse, newId: (prefix: string) => string): ResponseObject {
  const choice = res.choices[0];
  const outcome = finishOutcome(choice?.finish_reason ?? undefined);
  const output = choice ? outputItems(choice.message, newId, outcome.status === 'incomplete' ? 'incomplete' : 'completed') : [];
  return responseObject(env, { ...outcome, output, usage: res.usage });
}

function outputItems(m: ChatMessage, newId: (prefix: string) => string, status: 'completed' | 'incomplete'): OutputItem[] {
  const items: OutputItem[] = [];
  if (m.reasoning_content) items.push({ type: 'reasoning', id: newId('rs'), summary: [{ type: 'summary_text', text: m.reasoning_content }] });
  const content: MessageItem['content'] = [];
  const text = textOf(m.content);
  if (text) content.push({ type: 'output_text', text, annotations: [], logprobs: [] });
  if (typeof m.refusal === 'string' && m.refusal) content.push({ type: 'refusal', refusal: m.refusal });
  if (content.length > 0) items.push({ type: 'message', id: newId('msg'), status, role: 'assistant', content });
  for (const call of m.tool_calls ?? []) {
    const item: FunctionCallItem = { type: 'function_call', id: newId('fc'), call_id: call.id, name: call.function.name, arguments: call.function.arguments, status };
    items.push(item);
  }
  return items;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}
