import { asArray, asNumber, asObject, asString, type JsonObject } from '../openai-compatible/loose-json.js';
import { invalidParam, unsupportedParam } from './engine-error.js';
import { historyWithToolCalls, toolJobOf, type ToolJob } from './tool-calls.js';

/**
 * OpenAI wire bodies (as the shared adapter builds them) → what the engine runs. Pure. The
 * gateway validated the client's request already; this re-checks what the engine depends on and
 * refuses, with a 400 naming the field, what it cannot honour (images, n > 1, logprobs)
 * instead of ignoring it. Values are never clamped.
 */

/** A chat turn in node-llama-cpp's `ChatHistoryItem` shape (structurally compatible). */
export type HistoryItem =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: (string | ModelFunctionCall)[] };

/** A function call the model made earlier in the conversation, with its tool's result (tool-calls.ts). */
export interface ModelFunctionCall {
  type: 'functionCall';
  name: string;
  params: unknown;
  result: unknown;
}

export interface Sampling {
  /** `max_tokens` / `max_completion_tokens`; absent: up to the end of the context. */
  maxTokens?: number;
  /** OpenAI's default is 1; 0 is greedy. */
  temperature: number;
  topP?: number;
  seed?: number;
  stop: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
}

interface Streaming {
  stream: boolean;
  /** `stream_options.include_usage`: a final chunk with usage and no choices. */
  includeUsage: boolean;
}

/**
 * `response_format`: output constrained by a grammar, so the text is valid JSON (any object, or
 * one matching the schema) whatever the model would have said.
 */
export type OutputFormat = { kind: 'json_object' } | { kind: 'json_schema'; schema: JsonObject };

export interface ChatJob extends Streaming {
  /** Absolute GGUF path (the deployment's upstream model id). */
  model: string;
  /** Ends with a `model` item: empty to answer, or the assistant prefix to continue. */
  history: HistoryItem[];
  sampling: Sampling;
  format?: OutputFormat;
  /** Functions offered to the model, and whether it must call one (tool-calls.ts). */
  tools?: ToolJob;
}

export interface CompletionJob extends Streaming {
  model: string;
  prompt: string;
  sampling: Sampling;
}

export interface EmbeddingsJob {
  model: string;
  /** Texts, or token id arrays. */
  inputs: (string | number[])[];
  dimensions?: number;
}

export function parseChatBody(body: JsonObject): ChatJob {
  refuseUnsupported(body, CHAT_UNSUPPORTED);
  const messages = asArray(body.messages);
  if (!messages || messages.length === 0) throw invalidParam('messages', "'messages' must be a non-empty array.");
  const history = historyWithToolCalls(messages, toHistoryItem);
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  const job: ChatJob = { model: modelOf(body), history, sampling: samplingOf(body), ...streamingOf(body) };
  const format = formatOf(body.response_format);
  if (format) job.format = format;
  const tools = toolJobOf(body);
  if (tools) {
    // Both constrain sampling, and node-llama-cpp takes a grammar or functions, not both.
    if (format) throw unsupportedParam('response_format', "'response_format' together with 'tools'");
    job.tools = tools;
  }
  return job;
}

/** OpenAI's `response_format`: `text` (or absent), `json_object`, or `json_schema` with its schema. */
function formatOf(value: unknown): OutputFormat | undefined {
  if (value === undefined || value === null) return undefined;
  const format = asObject(value);
  const type = asString(format?.type);
  if (type === 'text') return undefined;
  if (type === 'json_object') return { kind: 'json_object' };
  if (type === 'json_schema') {
    const schema = asObject(asObject(format?.json_schema)?.schema);
    if (!schema) throw invalidParam('response_format.json_schema.schema', "'response_format.json_schema.schema' must be a JSON Schema object.");
    return { kind: 'json_schema', schema };
  }
  throw invalidParam('response_format.type', `'response_format.type' must be 'text', 'json_object' or 'json_schema', not '${String(type)}'.`);
}

export function parseCompletionBody(body: JsonObject): CompletionJob {
  refuseUnsupported(body, COMPLETION_UNSUPPORTED);
  let prompt = body.prompt;
  // One prompt per request: a batch would need one choice per prompt.
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') prompt = prompt[0];
  if (typeof prompt !== 'string') throw invalidParam('prompt', "'prompt' must be a string (one prompt per request on the local engine).");
  return { model: modelOf(body), prompt, sampling: samplingOf(body), ...streamingOf(body) };
}

export function parseEmbeddingsBody(body: JsonObject): EmbeddingsJob {
  const input = body.input;
  const inputs: (string | number[])[] =
    typeof input === 'string' || isTokenArray(input) ? [input as string | number[]] : (asArray(input) ?? []).map((item) => item as string | number[]);
  if (inputs.length === 0) throw invalidParam('input', "'input' must be a non-empty string or array.");
  inputs.forEach((item, index) => {
    if (typeof item !== 'string' && !isTokenArray(item)) throw invalidParam(`input[${index}]`, `'input[${index}]' must be a string or an array of token ids.`);
  });
  const job: EmbeddingsJob = { model: modelOf(body), inputs };
  const dimensions = asNumber(body.dimensions);
  if (dimensions !== undefined) job.dimensions = dimensions;
  return job;
}

/** Fields whose meaning the engine cannot honour; a present, non-default value is refused. */
const CHAT_UNSUPPORTED: readonly [string, (value: unknown) => boolean][] = [
  ['functions', (v) => (asArray(v)?.length ?? 0) > 0],
  ['n', (v) => v !== 1],
  ['logprobs', (v) => v === true],
];

const COMPLETION_UNSUPPORTED: readonly [string, (value: unknown) => boolean][] = [
  ['n', (v) => v !== 1],
  ['best_of', (v) => v !== 1],
  ['echo', (v) => v === true],
  ['suffix', (v) => typeof v === 'string' && v !== ''],
  ['logprobs', (v) => v !== 0 && v !== false],
];

function refuseUnsupported(body: JsonObject, rules: readonly [string, (value: unknown) => boolean][]): void {
  for (const [field, refused] of rules) {
    const value = body[field];
    if (value !== undefined && value !== null && refused(value)) throw unsupportedParam(field);
  }
}

function modelOf(body: JsonObject): string {
  const model = asString(body.model);
  if (!model) throw invalidParam('model', "'model' (the GGUF file path) is required.");
  return model;
}

/** One message without tool calls (those are handled by tool-calls.ts, which calls this for the rest). */
function toHistoryItem(raw: unknown, index: number): HistoryItem {
  const message = asObject(raw);
  const at = `messages[${index}]`;
  if (!message) throw invalidParam(at, `'${at}' must be an object.`);
  const text = textOf(message.content, `${at}.content`);
  switch (message.role) {
    case 'system':
    case 'developer':
      return { type: 'system', text };
    case 'user':
      return { type: 'user', text };
    case 'assistant':
      return { type: 'model', response: [text] };
    default:
      throw unsupportedParam(`${at}.role`, `Role '${String(message.role)}'`);
  }
}

/** String content, or text parts joined; images and audio are refused. */
function textOf(content: unknown, at: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  const parts = asArray(content);
  if (!parts) throw invalidParam(at, `'${at}' must be a string or an array of content parts.`);
  return parts
    .map((raw, index) => {
      const part = asObject(raw);
      if (part?.type !== 'text' || typeof part.text !== 'string') throw unsupportedParam(`${at}[${index}]`, `Content part type '${String(part?.type)}'`);
      return part.text;
    })
    .join('');
}

function samplingOf(body: JsonObject): Sampling {
  const sampling: Sampling = { temperature: numberIn(body, 'temperature', 0, 2) ?? 1, stop: stopOf(body.stop) };
  const maxTokens = positiveInt(body, 'max_completion_tokens') ?? positiveInt(body, 'max_tokens');
  if (maxTokens !== undefined) sampling.maxTokens = maxTokens;
  const topP = numberIn(body, 'top_p', 0, 1);
  if (topP !== undefined) sampling.topP = topP;
  const seed = body.seed;
  if (seed !== undefined && seed !== null) {
    if (!Number.isInteger(seed)) throw invalidParam('seed', "'seed' must be an integer.");
    sampling.seed = seed as number;
  }
  const presence = numberIn(body, 'presence_penalty', -2, 2);
  if (presence !== undefined && presence !== 0) sampling.presencePenalty = presence;
  const frequency = numberIn(body, 'frequency_penalty', -2, 2);
  if (frequency !== undefined && frequency !== 0) sampling.frequencyPenalty = frequency;
  return sampling;
}

function streamingOf(body: JsonObject): Streaming {
  return { stream: body.stream === true, includeUsage: asObject(body.stream_options)?.include_usage === true };
}

function stopOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : asArray(value);
  if (!list || list.some((item) => typeof item !== 'string' || item === '')) {
    throw invalidParam('stop', "'stop' must be a non-empty string or an array of them.");
  }
  return list as string[];
}

function numberIn(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidParam(field, `'${field}' must be a number from ${min} to ${max}.`);
  }
  return value;
}

function positiveInt(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw invalidParam(field, `'${field}' must be a positive integer.`);
  return value as number;
}

function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((n) => Number.isInteger(n) && n >= 0);
}
