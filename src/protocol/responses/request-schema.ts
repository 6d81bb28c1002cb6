import { z } from 'zod';
import type { ChatMessage, ChatRequest, ResponseFormat, Tool, ToolChoice } from '../chat.js';
import { invalidRequest, unsupported } from '../errors.js';
import { convertInput } from './input-items.js';
import type { ResponsesFunctionTool, ResponsesToolChoice } from './types.js';
import { validateBody } from '../validate-body.js';
import { checkShape } from './validate.js';

/**
 * Edge validation of `POST /v1/responses` (CATALOG.md §1.4) and its translation to the canonical
 * chat request every adapter takes. What has no counterpart on other models is refused with a 400
 * naming the field (built-in tools, file ids, background runs, conversations, server-side
 * truncation); nothing is dropped silently. Unknown top-level fields pass through in `extra`, as
 * on the chat surface. docs/surfaces.md has the full translation matrix.
 */

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
    description: z.string().nullish(),
  }),
]);

const requestSchema = z.looseObject({
  model: z.string().min(1),
  // Optional here only so that a missing input gets its own message (a union reports no 'missing').
  input: z.union([z.string(), z.array(z.unknown())]).optional(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({}).nullish(),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, 'at most 16 keys')
    .nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  reasoning: z
    .looseObject({ effort: z.string().min(1).nullish(), summary: z.enum(['auto', 'concise', 'detailed']).nullish() })
    .nullish(),
  text: z.looseObject({ format: z.looseObject({ type: z.string() }).nullish(), verbosity: z.enum(['low', 'medium', 'high']).nullish() }).nullish(),
  include: z.array(z.string()).nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  user: z.string().nullish(),
  background: z.boolean().nullish(),
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  max_tool_calls: z.unknown().optional(),
  top_logprobs: z.unknown().optional(),
});

/** Fields consumed here; every other top-level field is forwarded upstream in `extra`. */
const KNOWN = new Set(Object.keys(requestSchema.shape));

export interface ResponsesRequest {
  model: string;
  /** This turn's input as canonical messages (instructions not included). */
  input: ChatMessage[];
  /** This turn's input items in their full form, as `GET /v1/responses/{id}/input_items` lists them. */
  inputItems: Record<string, unknown>[];
  instructions: string | null;
  previousResponseId: string | null;
  store: boolean;
  stream: boolean;
  metadata: Record<string, string>;
  tools: ResponsesFunctionTool[];
  toolChoice: ResponsesToolChoice | undefined;
  parallelToolCalls: boolean | undefined;
  temperature: number | null;
  topP: number | null;
  maxOutputTokens: number | null;
  reasoning: { effort: string | null; summary: string | null };
  format: ResponseFormat | undefined;
  /** `text.format` as the client gave it (echoed in the Response object). */
  textFormat: Record<string, unknown>;
  verbosity: string | undefined;
  user: string | null;
  extra: Record<string, unknown>;
}

/** Validate a Responses request body. `newId` names input items that came without an id. */
export function parseResponsesRequest(body: unknown, newId: (prefix: string) => string): ResponsesRequest {
  const req = validateBody(requestSchema, body);
  if (req.input === undefined) throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  refuseUnsupported(req);
  const { messages, items } = convertInput(req.input, newId);
  if (messages.length === 0 && !req.previous_response_id) {
    throw invalidRequest("'input' must hold at least one message or function call output.", 'input');
  }
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req)) if (!KNOWN.has(key) && value !== undefined) extra[key] = value;
  const format = req.text?.format ? checkShape(textFormat, req.text.format, ['text', 'format']) : undefined;
  return {
    model: req.model,
    input: messages,
    inputItems: items,
    instructions: req.instructions ?? null,
    previousResponseId: req.previous_response_id ?? null,
    store: req.store ?? true,
    stream: req.stream === true,
    metadata: req.metadata ?? {},
    tools: (req.tools ?? []).map((t, i) => functionToolAt(t, i)),
    toolChoice: req.tool_choice == null ? undefined : toolChoiceOf(req.tool_choice),
    parallelToolCalls: req.parallel_tool_calls ?? undefined,
    temperature: req.temperature ?? null,
    topP: req.top_p ?? null,
    maxOutputTokens: req.max_output_tokens ?? null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    format: format ? responseFormatOf(format) : undefined,
    textFormat: format ?? { type: 'text' },
    verbosity: req.text?.verbosity ?? undefined,
    user: req.user ?? null,
    extra,
  };
}

/**
 * The canonical request for this turn: instructions as the system message, then the stored
 * conversation of `previous_response_id` (whose own instructions are not carried over, as in
 * OpenAI's API), then this turn's input.
 */
export function toChatRequest(req: ResponsesRequest, history: ChatMessage[]): ChatRequest {
  const messages: ChatMessage[] = [];
  if (req.instructions) messages.push({ role: 'system', content: req.instructions });
  messages.push(...history, ...req.input);
  const chat: ChatRequest = { model: req.model, messages, stream: req.stream, extra: { ...req.extra } };
  if (req.maxOutputTokens !== null) chat.max_completion_tokens = req.maxOutputTokens;
  if (req.temperature !== null) chat.temperature = req.temperature;
  if (req.topP !== null) chat.top_p = req.topP;
  if (req.tools.length > 0) chat.tools = req.tools.map(canonicalTool);
  if (req.toolChoice !== undefined) chat.tool_choice = canonicalToolChoice(req.toolChoice);
  if (req.parallelToolCalls !== undefined) chat.parallel_tool_calls = req.parallelToolCalls;
  if (req.format) chat.response_format = req.format;
  if (req.reasoning.effort) chat.reasoning_effort = req.reasoning.effort;
  if (req.verbosity) chat.extra.verbosity = req.verbosity;
  if (req.user) chat.user = req.user;
  return chat;
}

type ParsedBody = z.infer<typeof requestSchema>;

function refuseUnsupported(req: ParsedBody): void {
  if (req.background) throw unsupported('Background responses are not supported; call without background.', 'background');
  if (req.conversation != null) throw unsupported('Conversations are not supported; chain turns with previous_response_id.', 'conversation');
  if (req.prompt != null) throw unsupported('Prompt templates are not supported; send instructions and input.', 'prompt');
  if (req.truncation === 'auto') throw unsupported("truncation 'auto' is not supported: Baimo never drops input silently.", 'truncation');
  if (req.max_tool_calls != null) throw unsupported('max_tool_calls is not supported.', 'max_tool_calls');
  if (req.top_logprobs != null) throw unsupported('Log probabilities are not supported on the Responses surface.', 'top_logprobs');
  const logprobs = req.include?.indexOf('message.output_text.logprobs') ?? -1;
  if (logprobs >= 0) throw unsupported('Log probabilities are not supported on the Responses surface.', `include[${logprobs}]`);
}

function functionToolAt(raw: { type: string }, i: number): ResponsesFunctionTool {
  if (raw.type !== 'function') {
    throw unsupported(`Built-in tool '${raw.type}' is not supported: Baimo serves many models and runs no hosted tools. Declare a function tool instead.`, `tools[${i}].type`);
  }
  const t = checkShape(functionTool, raw, ['tools', i]);
  const out: ResponsesFunctionTool = { type: 'function', name: t.name };
  if (t.description != null) out.description = t.description;
  if (t.parameters != null) out.parameters = t.parameters;
  if (t.strict != null) out.strict = t.strict;
  return out;
}

function canonicalTool(t: ResponsesFunctionTool): Tool {
  const fn: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null } = { name: t.name };
  if (t.description != null) fn.description = t.description;
  if (t.parameters != null) fn.parameters = t.parameters;
  if (t.strict != null) fn.strict = t.strict;
  return { type: 'function', function: fn };
}

function toolChoiceOf(choice: string | { type: string }): ResponsesToolChoice {
  if (typeof choice === 'string') return choice as ResponsesToolChoice;
  if (choice.type === 'function') {
    const named = checkShape(z.looseObject({ type: z.literal('function'), name: z.string().min(1) }), choice, ['tool_choice']);
    return { type: 'function', name: named.name };
  }
  throw unsupported(`tool_choice of type '${choice.type}' is not supported; use none, auto, required or a function.`, 'tool_choice.type');
}

function canonicalToolChoice(choice: ResponsesToolChoice): ToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function responseFormatOf(format: z.infer<typeof textFormat>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const f = format as { name: string; schema: Record<string, unknown>; strict?: boolean | null; description?: string | null };
  const json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean | null; description?: string } = { name: f.name, schema: f.schema };
  if (f.strict != null) json_schema.strict = f.strict;
  if (f.description != null) json_schema.description = f.description;
  return { type: 'json_schema', json_schema };
}
