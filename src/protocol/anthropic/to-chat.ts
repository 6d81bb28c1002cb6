import type { ChatMessage, ChatRequest, ContentPart, TextPart, Tool, ToolCall, ToolChoice } from '../chat.js';
import { unsupported, type BaimoError } from '../errors.js';
import { cacheControlOf } from '../cache-control.js';
import type {
  ContentBlock,
  CustomTool,
  ImageBlock,
  MessagesBody,
  RedactedThinkingBlock,
  TextBlock,
  ThinkingBlock,
  ToolResultBlock,
  ToolUseBlock,
} from './request-schema.js';

/**
 * A validated Messages request (CATALOG.md §3) → the canonical (OpenAI-shaped) chat request, for
 * deployments that do not speak Messages. docs/surfaces.md is the matrix this implements:
 *  - `system` becomes a leading system message (text blocks kept as text parts);
 *  - a user turn's `tool_result` blocks become `tool` messages, placed before the rest of the turn
 *    as OpenAI requires tool answers right after the assistant's calls;
 *  - an assistant turn's `tool_use` blocks become `tool_calls` (input object → arguments string),
 *    its `thinking` text `reasoning_content`, its text blocks one content string;
 *  - `thinking` becomes `reasoning_effort`, `top_k` rides in `extra`, unknown fields pass through;
 *  - `cache_control` breakpoints on text blocks (system, user, assistant) and tools are kept on
 *    the text parts and tools, for Anthropic and Bedrock deployments (top-level, automatic
 *    `cache_control` is not: it has no per-block form).
 * What has no canonical form is collected, not thrown: the first one becomes `untranslatable`.
 */

/**
 * Messages fields about Anthropic's own service — caching, capacity, speed, placement, accounts,
 * diagnostics — with no counterpart elsewhere and no effect on what the model answers.
 */
const DROPPED_FIELDS = new Set(['cache_control', 'service_tier', 'speed', 'inference_geo', 'context_management', 'diagnostics', 'user_profile_id', 'workspace_id']);
/** Messages fields whose meaning would be lost: refused on translation (server-side tools and containers). */
const REFUSED_FIELDS = new Set(['mcp_servers', 'container']);

/** `thinking.budget_tokens` → effort: below 4k is a light think, 16k and up a deep one. */
const EFFORT_BY_BUDGET: readonly [number, string][] = [
  [4096, 'low'],
  [16384, 'medium'],
];
const EFFORTS = new Set(['low', 'medium', 'high']);

interface Translation {
  refusals: BaimoError[];
}

/** @param extra the body's fields that are not Messages fields the schema knows */
export function toChatRequest(body: MessagesBody, extra: Record<string, unknown>): { chat: ChatRequest; untranslatable?: BaimoError } {
  const t: Translation = { refusals: [] };
  const messages: ChatMessage[] = [];
  if (body.system !== undefined) messages.push(systemMessage(body.system));
  body.messages.forEach((m, i) => {
    const param = `messages[${i}]`;
    messages.push(...(m.role === 'user' ? userMessages(m.content, param, t) : [assistantMessage(m.content, param, t)]));
  });

  const chat: ChatRequest = { model: body.model, messages, extra: passthroughFields(extra, t) };
  if (body.max_tokens !== undefined) chat.max_tokens = body.max_tokens;
  if (body.stream !== undefined) chat.stream = body.stream;
  if (body.temperature !== undefined) chat.temperature = body.temperature;
  if (body.top_p !== undefined) chat.top_p = body.top_p;
  if (body.top_k !== undefined) chat.extra.top_k = body.top_k;
  if (body.stop_sequences && body.stop_sequences.length > 0) chat.stop = body.stop_sequences;
  const tools = body.tools?.map((tool, i) => toTool(tool, `tools[${i}]`, t)).filter((x): x is Tool => x !== undefined);
  if (tools && tools.length > 0) chat.tools = tools;
  if (body.tool_choice) {
    chat.tool_choice = toToolChoice(body.tool_choice);
    if ('disable_parallel_tool_use' in body.tool_choice && body.tool_choice.disable_parallel_tool_use === true) chat.parallel_tool_calls = false;
  }
  const effort = reasoningEffort(body);
  if (effort) chat.reasoning_effort = effort;
  // Structured outputs are enforced by the model's decoder, as OpenAI's strict json_schema is.
  const format = body.output_config?.format;
  if (format) chat.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } };
  if (typeof body.metadata?.user_id === 'string') chat.user = body.metadata.user_id;
  return { chat, ...(t.refusals[0] ? { untranslatable: t.refusals[0] } : {}) };
}

function systemMessage(system: string | TextBlock[]): ChatMessage {
  if (typeof system === 'string') return { role: 'system', content: system };
  return { role: 'system', content: system.map(textPart) };
}

function userMessages(content: string | ContentBlock[], param: string, t: Translation): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const tools: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  content.forEach((block, j) => {
    const at = `${param}.content[${j}]`;
    if (block.type === 'tool_result') tools.push(toolMessage(block as ToolResultBlock, at, t));
    else {
      const part = toPart(block, at, t);
      if (part) parts.push(part);
    }
  });
  return parts.length > 0 || tools.length === 0 ? [...tools, { role: 'user', content: parts }] : tools;
}

/** `is_error` has no OpenAI form: the result's own text says what failed. */
function toolMessage(block: ToolResultBlock, param: string, t: Translation): ChatMessage {
  const content = block.content;
  if (content === undefined || typeof content === 'string') return { role: 'tool', tool_call_id: block.tool_use_id, content: content ?? '' };
  const parts: ContentPart[] = [];
  content.forEach((inner, k) => {
    const at = `${param}.content[${k}]`;
    if (inner.type === 'text') parts.push(textPart(inner as TextBlock));
    else t.refusals.push(cannotTranslate(`${at} of type '${inner.type}' inside a tool_result`, at));
  });
  return { role: 'tool', tool_call_id: block.tool_use_id, content: parts };
}

function toPart(block: ContentBlock, param: string, t: Translation): ContentPart | undefined {
  switch (block.type) {
    case 'text':
      return textPart(block as TextBlock);
    case 'image':
      return imagePart(block as ImageBlock, param, t);
    default:
      t.refusals.push(cannotTranslate(`${param} of type '${block.type}'`, param));
      return undefined;
  }
}

function imagePart(block: ImageBlock, param: string, t: Translation): ContentPart | undefined {
  const source = block.source;
  if (source.type === 'base64') return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  if (source.type === 'url') return { type: 'image_url', image_url: { url: source.url } };
  t.refusals.push(cannotTranslate(`${param}.source of type 'file' (an Anthropic Files API id)`, `${param}.source`));
  return undefined;
}

function assistantMessage(content: string | ContentBlock[], param: string, t: Translation): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const text: TextPart[] = [];
  const reasoning: string[] = [];
  const toolCalls: ToolCall[] = [];
  const replay: { signature?: string; redacted_thinking?: string[] } = {};
  content.forEach((block, j) => {
    const at = `${param}.content[${j}]`;
    switch (block.type) {
      case 'text':
        text.push(textPart(block as TextBlock));
        return;
      case 'tool_use': {
        const use = block as ToolUseBlock;
        toolCalls.push({ id: use.id, type: 'function', function: { name: use.name, arguments: JSON.stringify(use.input) } });
        return;
      }
      case 'thinking': {
        const think = block as ThinkingBlock;
        reasoning.push(think.thinking);
        if (think.signature) replay.signature = think.signature;
        return;
      }
      case 'redacted_thinking':
        replay.redacted_thinking = [...(replay.redacted_thinking ?? []), (block as RedactedThinkingBlock).data];
        return;
      default:
        t.refusals.push(cannotTranslate(`${at} of type '${block.type}'`, at));
    }
  });
  // One string, unless a text block carries a cache breakpoint that must stay on its part.
  const joined = text.some((part) => part.cache_control) ? text : text.map((part) => part.text).join('');
  const message: ChatMessage = { role: 'assistant', content: text.length > 0 ? joined : toolCalls.length > 0 ? null : '' };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  // Kept in the replay slot the Anthropic adapter reads; other adapters never send provider_data.
  if (replay.signature || replay.redacted_thinking) message.provider_data = { anthropic: replay };
  return message;
}

function toTool(tool: { type?: string }, param: string, t: Translation): Tool | undefined {
  if (tool.type !== undefined && tool.type !== 'custom') {
    t.refusals.push(cannotTranslate(`${param} of type '${tool.type}' (a tool that runs on Anthropic's servers)`, param));
    return undefined;
  }
  const custom = tool as CustomTool;
  const fn: { name: string; description?: string; parameters: Record<string, unknown> } = { name: custom.name, parameters: custom.input_schema };
  if (custom.description !== undefined) fn.description = custom.description;
  const cache = cacheControlOf((tool as { cache_control?: unknown }).cache_control);
  return cache ? { type: 'function', function: fn, cache_control: cache } : { type: 'function', function: fn };
}

/** A text block as a text part, its cache breakpoint kept. */
function textPart(block: TextBlock): TextPart {
  const cache = cacheControlOf(block.cache_control);
  return cache ? { type: 'text', text: block.text, cache_control: cache } : { type: 'text', text: block.text };
}

function toToolChoice(choice: NonNullable<MessagesBody['tool_choice']>): ToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

/**
 * `thinking` → `reasoning_effort` (the knob every reasoning family takes): an `enabled` budget by
 * EFFORT_BY_BUDGET, `adaptive` by `output_config.effort` (`xhigh` and `max` are `high`, the top
 * common level), `disabled` or no thinking leaves the model's default.
 */
function reasoningEffort(body: MessagesBody): string | undefined {
  const thinking = body.thinking;
  if (!thinking || thinking.type === 'disabled') return undefined;
  if (thinking.type === 'enabled') {
    const budget = thinking.budget_tokens ?? 0;
    return EFFORT_BY_BUDGET.find(([below]) => budget < below)?.[1] ?? 'high';
  }
  const effort = body.output_config?.effort;
  if (effort === 'max' || effort === 'xhigh') return 'high';
  return effort && EFFORTS.has(effort) ? effort : undefined;
}

function passthroughFields(fields: Record<string, unknown>, t: Translation): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (DROPPED_FIELDS.has(key)) continue;
    if (REFUSED_FIELDS.has(key)) t.refusals.push(cannotTranslate(`'${key}'`, key));
    else extra[key] = value;
  }
  return extra;
}

function cannotTranslate(what: string, param: string): BaimoError {
  return unsupported(`${what} is only supported when the model is served by an Anthropic deployment.`, param);
}
