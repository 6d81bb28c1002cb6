import type { ChatMessage, ChatRequest, ContentPart, Tool } from '../../protocol/chat.js';
import type { UpstreamTarget } from '../adapter.js';
import { asObject, type JsonObject } from './loose-json.js';
import type { MaxTokensField, VendorEntry, WireBody } from './vendors.js';

/** Canonical fields that `buildChatBody` writes itself rather than copying. */
const HANDLED = new Set(['model', 'messages', 'stream', 'stream_options', 'extra']);

/**
 * Canonical chat request → the vendor's wire body. Pure: the input is never mutated.
 * Order of steps: copy set fields (a `null` means "vendor default", so it is omitted), model =
 * upstream id, messages rewritten, `extra` merged top-level (unknown fields pass through),
 * max-tokens naming, stream fields, then the vendor's drops and its `adjustChatBody` hook.
 * Values are never clamped: out-of-range input reaches the vendor and its 400 comes back.
 */
export function buildChatBody(
  req: ChatRequest,
  vendor: VendorEntry,
  target: UpstreamTarget,
  opts: { stream: boolean },
): WireBody {
  const body: WireBody = {
    model: target.upstreamModel,
    messages: req.messages.map((message) => toWireMessage(message, vendor)),
  };
  // Keys, not entries: no [key, value] pair is allocated per field.
  for (const key of Object.keys(req)) {
    const value = (req as unknown as Record<string, unknown>)[key];
    if (!HANDLED.has(key) && value !== undefined && value !== null) body[key] = value;
  }
  if (req.extra) {
    for (const key of Object.keys(req.extra)) if (!(key in body)) body[key] = req.extra[key];
  }
  if (req.tools?.some((tool) => 'cache_control' in tool)) body.tools = withoutCacheControl(req.tools);
  renameMaxTokens(body, vendor.maxTokens);
  if (opts.stream) {
    body.stream = true;
    // DESIGN.md §4: ask for usage in streams wherever the vendor supports it, whatever the client asked.
    if (vendor.requestStreamUsage) body.stream_options = { ...asObject(req.stream_options), include_usage: true };
    else if (req.stream_options) body.stream_options = req.stream_options;
  }
  applyDrops(body, vendor);
  return vendor.hooks.adjustChatBody ? vendor.hooks.adjustChatBody(body, { stream: opts.stream, vendor }) : body;
}

function toWireMessage(message: ChatMessage, vendor: VendorEntry): JsonObject {
  // Most messages need nothing rewritten: sent as they are, without a copy (nothing changes them).
  if (isWireReady(message, vendor)) return message as unknown as JsonObject;
  // `provider_data` is Baimo's replay store for native adapters; it never goes on an OAI wire.
  const { provider_data: _providerData, reasoning_content: reasoningContent, ...rest } = message;
  const wire: JsonObject = { ...rest };
  if (Array.isArray(message.content) && message.content.some((part) => 'cache_control' in part)) wire.content = withoutCacheControl(message.content);
  if (message.role === 'developer' && vendor.developerRole === 'system') wire.role = 'system';
  if (message.tool_calls) wire.tool_calls = message.tool_calls.map(({ provider_data: _data, ...call }) => call);
  if (typeof reasoningContent === 'string' && reasoningContent.length > 0) {
    if (vendor.reasoning.replay === 'keep') wire.reasoning_content = reasoningContent;
    if (vendor.reasoning.replay === 'think-tags' && message.role === 'assistant') {
      wire.content = withThinkPrefix(message.content, reasoningContent);
    }
  }
  return wire;
}

/** Nothing in `toWireMessage` applies: no replay data, reasoning, tool calls, cache breakpoints or role to rename. */
function isWireReady(message: ChatMessage, vendor: VendorEntry): boolean {
  return (
    !('provider_data' in message) &&
    !('reasoning_content' in message) &&
    message.tool_calls === undefined &&
    (message.role !== 'developer' || vendor.developerRole !== 'system') &&
    (!Array.isArray(message.content) || !message.content.some((part) => 'cache_control' in part))
  );
}

/**
 * Prompt-cache breakpoints (`cache_control`, from Anthropic-format clients or OpenAI-format ones)
 * are Anthropic's and Bedrock's; no OpenAI-compatible vendor in CATALOG.md documents them, and a
 * strict one would refuse the unknown field, so they are dropped here.
 */
function withoutCacheControl<T extends object>(items: readonly T[]): T[] {
  return items.map((item) => {
    if (!('cache_control' in item)) return item;
    const { cache_control: _cache, ...rest } = item as T & { cache_control?: unknown };
    return rest as T;
  });
}

/** MiniMax needs the whole assistant message back in tool loops, `<think>` text included (§13). */
function withThinkPrefix(content: ChatMessage['content'], reasoningText: string): string | ContentPart[] {
  const prefix = `<think>${reasoningText}</think>\n\n`;
  if (Array.isArray(content)) return [{ type: 'text', text: prefix }, ...content];
  return prefix + (content ?? '');
}

function renameMaxTokens(body: WireBody, field: MaxTokensField): void {
  if (field === 'as-given') return;
  const other = field === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
  if (body[other] === undefined) return;
  if (body[field] === undefined) body[field] = body[other];
  delete body[other];
}

function applyDrops(body: WireBody, vendor: VendorEntry): void {
  // Without `tool_choice`, "none" would silently become "auto": honour it by not offering tools.
  if (vendor.dropParams.includes('tool_choice') && body.tool_choice === 'none') delete body.tools;
  for (const param of vendor.dropParams) delete body[param];
  if (vendor.dropToolStrict && Array.isArray(body.tools)) body.tools = (body.tools as Tool[]).map(withoutStrict);
}

function withoutStrict(tool: Tool): Tool {
  const fn = asObject(tool.function);
  if (!fn || !('strict' in fn)) return tool;
  const { strict: _strict, ...rest } = fn;
  return { ...tool, function: rest } as Tool;
}
