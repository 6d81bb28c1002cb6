import type { ChatMessage, ChatResponse, ToolCall } from '../../protocol/chat.js';
import type { DecodeContext } from '../adapter.js';
import { malformedUpstreamBody, parseUpstream } from '../parse-upstream.js';
import { thinkingReplayData, type ThinkingReplay } from '../thinking-replay.js';
import { REPLAY_FAMILY } from './messages.js';
import { mapStopReason } from './stop-reason.js';
import { convertUsage } from './usage.js';
import { ConverseResponseSchema, type BedrockBlock } from './wire.js';

/**
 * A Converse response (CATALOG.md §5) → one OpenAI choice. Text blocks are concatenated;
 * `toolUse` becomes a tool call whose `input` object is serialised to the `arguments` string;
 * `reasoningContent` text becomes `reasoning_content`, its signature and any redacted reasoning
 * kept for replay under `provider_data.bedrock`. Converse has no response id, model or `created`
 * in its body, so the id generator and the clock supply them (the surface shows the public model).
 */
export function parseBedrockResponse(json: unknown, ctx: DecodeContext): ChatResponse {
  const body = parseUpstream(ConverseResponseSchema, json, 'Converse response');
  const content = body.output?.message?.content;
  if (!content) throw malformedUpstreamBody('Converse response has no output message');

  const collected: Collected = { text: [], reasoning: [], toolCalls: [], replay: {} };
  for (const block of content) collectBlock(block, collected, ctx);

  const assistant: ChatMessage = {
    role: 'assistant',
    content: collected.text.length > 0 ? collected.text.join('') : collected.toolCalls.length > 0 ? null : '',
  };
  if (collected.reasoning.length > 0) assistant.reasoning_content = collected.reasoning.join('');
  if (collected.toolCalls.length > 0) assistant.tool_calls = collected.toolCalls;
  const providerData = thinkingReplayData(REPLAY_FAMILY, collected.replay);
  if (providerData) assistant.provider_data = providerData;

  const response: ChatResponse = {
    id: ctx.newId('chatcmpl'),
    object: 'chat.completion',
    created: ctx.nowSeconds(),
    model: '',
    choices: [{ index: 0, message: assistant, finish_reason: mapStopReason(body.stopReason) }],
  };
  if (body.usage) response.usage = convertUsage(body.usage);
  return response;
}

interface Collected {
  text: string[];
  reasoning: string[];
  toolCalls: ToolCall[];
  replay: ThinkingReplay;
}

function collectBlock(block: BedrockBlock, into: Collected, ctx: DecodeContext): void {
  if (typeof block.text === 'string') into.text.push(block.text);
  if (block.toolUse) {
    into.toolCalls.push({
      id: block.toolUse.toolUseId ?? ctx.newId('call'),
      type: 'function',
      function: { name: block.toolUse.name ?? '', arguments: JSON.stringify(block.toolUse.input ?? {}) },
    });
  }
  const reasoning = block.reasoningContent;
  if (reasoning?.reasoningText) {
    into.reasoning.push(reasoning.reasoningText.text ?? '');
    if (reasoning.reasoningText.signature) into.replay.signature = reasoning.reasoningText.signature;
  }
  if (reasoning?.redactedContent) into.replay.redacted_thinking = [...(into.replay.redacted_thinking ?? []), reasoning.redactedContent];
}
