import { asArray, asObject, asString, type JsonObject } from '../openai-compatible/loose-json.js';
import { invalidParam, unsupportedParam } from './engine-error.js';
import type { HistoryItem } from './wire-request.js';

/**
 * OpenAI tool calling on the local engine. Pure: the wire `tools` / `tool_choice` / tool history
 * in, what node-llama-cpp runs out.
 *
 * - `tool_choice: "auto"` (the default with tools): the functions go to node-llama-cpp, whose chat
 *   wrapper (the model's own template) documents them in the prompt and parses the calls the model
 *   chooses to make.
 * - `"required"` or a named function: the answer is sampled under a grammar that only admits
 *   `{"name": …, "arguments": …}` for the allowed functions with arguments matching their schema,
 *   so a call comes back whatever the model would have said.
 * - `"none"`: the tools are not offered (OpenAI's meaning), and past calls stay in the history.
 */

/** One function as node-llama-cpp takes it (`ChatModelFunctions` values). */
export interface LocalFunction {
  description?: string;
  params?: JsonObject;
}

export type ToolMode = { kind: 'auto'; maxParallelCalls?: number } | { kind: 'forced'; names: string[] };

export interface ToolJob {
  functions: Record<string, LocalFunction>;
  mode: ToolMode;
}

/** A call the model made, in OpenAI's terms (`arguments` is JSON text). */
export interface ToolCall {
  name: string;
  arguments: string;
}

/** A model turn in node-llama-cpp's history that includes function calls and their results. */
type ModelTurn = Extract<HistoryItem, { type: 'model' }>;
type FunctionCallItem = { type: 'functionCall'; name: string; params: unknown; result: unknown };

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** `tools` + `tool_choice` → what to run; undefined when no function is offered. */
export function toolJobOf(body: JsonObject): ToolJob | undefined {
  const tools = asArray(body.tools);
  if (!tools || tools.length === 0) {
    if (body.tool_choice !== undefined && body.tool_choice !== null && body.tool_choice !== 'none' && body.tool_choice !== 'auto') {
      throw invalidParam('tool_choice', "'tool_choice' needs 'tools'.");
    }
    return undefined;
  }
  const functions: Record<string, LocalFunction> = {};
  tools.forEach((raw, index) => {
    const at = `tools[${index}]`;
    const tool = asObject(raw);
    if (tool?.type !== 'function') throw unsupportedParam(`${at}.type`, `Tool type '${String(tool?.type)}'`);
    const fn = asObject(tool.function);
    const name = asString(fn?.name);
    if (!name || !NAME.test(name)) throw invalidParam(`${at}.function.name`, `'${at}.function.name' must be 1–64 letters, digits, '_' or '-'.`);
    if (functions[name]) throw invalidParam(`${at}.function.name`, `Two tools are named '${name}'.`);
    const params = fn?.parameters === undefined || fn.parameters === null ? undefined : asObject(fn.parameters);
    if (fn?.parameters !== undefined && fn.parameters !== null && !params) throw invalidParam(`${at}.function.parameters`, `'${at}.function.parameters' must be a JSON Schema object.`);
    const description = asString(fn?.description);
    functions[name] = { ...(description ? { description } : {}), ...(params ? { params } : {}) };
  });
  const choice = body.tool_choice ?? 'auto';
  if (choice === 'none') return undefined;
  if (choice === 'auto') return { functions, mode: { kind: 'auto', ...(body.parallel_tool_calls === false ? { maxParallelCalls: 1 } : {}) } };
  if (choice === 'required') return { functions, mode: { kind: 'forced', names: Object.keys(functions) } };
  const named = asString(asObject(asObject(choice)?.function)?.name);
  if (asObject(choice)?.type !== 'function' || !named) {
    throw invalidParam('tool_choice', "'tool_choice' must be 'none', 'auto', 'required' or {\"type\": \"function\", \"function\": {\"name\": …}}.");
  }
  if (!functions[named]) throw invalidParam('tool_choice', `'tool_choice' names '${named}', which is not in 'tools'.`);
  return { functions, mode: { kind: 'forced', names: [named] } };
}

/**
 * The JSON Schema a forced answer is sampled under: one of the allowed functions by name, with
 * arguments of that function's schema (any object when it has none).
 */
export function forcedCallSchema(job: ToolJob & { mode: { kind: 'forced' } }): JsonObject {
  const variants = job.mode.names.map((name) => ({
    type: 'object',
    properties: { name: { const: name }, arguments: job.functions[name]!.params ?? { type: 'object' } },
    required: ['name', 'arguments'],
  }));
  return variants.length === 1 ? variants[0]! : { oneOf: variants };
}

/** The call in a forced answer (grammar-constrained, so it parses; anything else is a bug upstream of here). */
export function parseForcedCall(text: string): ToolCall {
  const call = JSON.parse(text) as { name: string; arguments: unknown };
  return { name: call.name, arguments: JSON.stringify(call.arguments) };
}

/**
 * Assistant turns with `tool_calls` and the `tool` messages answering them, as node-llama-cpp's
 * history: each call becomes a `functionCall` item of its model turn, with the result of the tool
 * message that names its id. Other messages are converted by `plain`.
 */
export function historyWithToolCalls(messages: unknown[], plain: (message: JsonObject, index: number) => HistoryItem): HistoryItem[] {
  const history: HistoryItem[] = [];
  const pending = new Map<string, FunctionCallItem>();
  messages.forEach((raw, index) => {
    const at = `messages[${index}]`;
    const message = asObject(raw);
    if (!message) throw invalidParam(at, `'${at}' must be an object.`);
    if (message.role === 'tool') {
      const id = asString(message.tool_call_id);
      const call = id === undefined ? undefined : pending.get(id);
      if (!call) throw invalidParam(`${at}.tool_call_id`, `'${at}.tool_call_id' does not name a tool call of an earlier assistant message.`);
      pending.delete(id!);
      call.result = toolResultOf(message.content);
      return;
    }
    const calls = asArray(message.tool_calls);
    if (message.role !== 'assistant' || !calls || calls.length === 0) {
      history.push(plain(message, index));
      return;
    }
    const turn = plain({ ...message, tool_calls: undefined }, index) as ModelTurn;
    const response: ModelTurn['response'] = turn.response.filter((text) => text !== '');
    calls.forEach((rawCall, callIndex) => {
      const callAt = `${at}.tool_calls[${callIndex}]`;
      const call = asObject(rawCall);
      const fn = asObject(call?.function);
      const id = asString(call?.id);
      const name = asString(fn?.name);
      if (!id || !name) throw invalidParam(callAt, `'${callAt}' needs an 'id' and a 'function.name'.`);
      const item: FunctionCallItem = { type: 'functionCall', name, params: argumentsOf(fn?.arguments, `${callAt}.function.arguments`), result: null };
      pending.set(id, item);
      (response as unknown[]).push(item);
    });
    history.push({ type: 'model', response });
  });
  return history;
}

function argumentsOf(value: unknown, at: string): unknown {
  if (typeof value !== 'string') throw invalidParam(at, `'${at}' must be a JSON string.`);
  try {
    return JSON.parse(value);
  } catch {
    throw invalidParam(at, `'${at}' is not valid JSON.`);
  }
}

/** A tool message's content: its text (parts joined); JSON text is given to the template as the value it holds. */
function toolResultOf(content: unknown): unknown {
  const text =
    typeof content === 'string'
      ? content
      : (asArray(content) ?? [])
          .map((part) => asString(asObject(part)?.text) ?? '')
          .join('');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
