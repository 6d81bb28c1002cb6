import type { ChatMessage, ChatResponse, ToolCall } from '../../protocol/chat.js';
import type { DecodeContext } from '../adapter.js';
import { malformedUpstreamBody, parseUpstream } from '../parse-upstream.js';
import { anthropicError } from './errors.js';
import { replayProviderData, type AnthropicReplay } from './replay-data.js';
import { mapStopReason } from './stop-reason.js';
import { convertUsage } from './usage.js';
import { MessageSchema, type AnthropicBlock } from './wire.js';

/**
 * A Messages response (CATALOG.md §3) → one OpenAI choice. Text blocks are concatenated;
 * `tool_use` becomes a tool call whose `input` object is serialised to the `arguments` string;
 * thinking text becomes `reasoning_content` with its signature kept for replay. Anthropic has no
 * `created`, so the clock supplies it; server-tool and citation blocks have no OpenAI form and are
 * not carried.
 */
export function parseAnthropicResponse(json: unknown, ctx: DecodeContext): ChatResponse {
  const message = parseUpstream(MessageSchema, json, 'Messages response');
  if (message.type === 'error' || message.error) {
    throw anthropicError(message.error?.type ?? 'api_error', message.error?.message ?? undefined);
  }
  if (!message.content) throw malformedUpstreamBody('Messages response has no content');

  const text: string[] = [];
  const thinking: string[] = [];
  const toolCalls: ToolCall[] = [];
  const replay: AnthropicReplay = {};
  for (const block of message.content) {
    collectBlock(block, { text, thinking, toolCalls, replay }, ctx);
  }

  const assistant: ChatMessage = {
    role: 'assistant',
    content: text.length > 0 ? text.join('') : toolCalls.length > 0 ? null : '',
  };
  if (thinking.length > 0) assistant.reasoning_content = thinking.join('');
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  const providerData = replayProviderData(replay);
  if (providerData) assistant.provider_data = providerData;

  const response: ChatResponse = {
    id: message.id ?? ctx.newId('chatcmpl'),
    object: 'chat.completion',
    created: ctx.nowSeconds(),
    model: message.model ?? '',
    choices: [{ index: 0, message: assistant, finish_reason: mapStopReason(message.stop_reason) }],
  };
  if (message.usage) response.usage = convertUsage(message.usage);
  return response;
}

interface Collected {
  text: string[];
  thinking: string[];
  toolCalls: ToolCall[];
  replay: AnthropicReplay;
}

function collectBlock(block: AnthropicBlock, into: Collected, ctx: DecodeContext): void {
  switch (block.type) {
    case 'text':
      into.text.push(block.text ?? '');
      return;
    case 'thinking':
      into.thinking.push(block.thinking ?? '');
      if (block.signature) into.replay.signature = block.signature;
      return;
    case 'redacted_thinking':
      if (block.data) into.replay.redacted_thinking = [...(into.replay.redacted_thinking ?? []), block.data];
      return;
    case 'tool_use':
      into.toolCalls.push({
        id: block.id ?? ctx.newId('call'),
        type: 'function',
        function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
      return;
    default:
      return;
  }
}
