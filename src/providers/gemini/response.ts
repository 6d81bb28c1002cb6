import type { ChatChoice, ChatMessage, ChatResponse, ToolCall } from '../../protocol/chat.js';
import type { BaimoError } from '../../protocol/errors.js';
import type { DecodeContext } from '../adapter.js';
import { classifiedError } from '../classified-error.js';
import { malformedUpstreamBody, parseUpstream } from '../parse-upstream.js';
import { geminiError } from './errors.js';
import { mapFinishReason } from './finish-reason.js';
import { readPart } from './parts.js';
import { convertUsage } from './usage.js';
import { ResponseSchema, type GeminiCandidate, type GeminiResponse } from './wire.js';

/**
 * A generateContent response (CATALOG.md §4.1) → OpenAI choices, one per candidate. Gemini has
 * no `created`, so the clock supplies it; `responseId` is the id when present.
 */
export function parseGeminiResponse(json: unknown, ctx: DecodeContext): ChatResponse {
  const body = parseUpstream(ResponseSchema, json, 'generateContent response');
  if (body.error) throw geminiError(body.error);
  const candidates = body.candidates ?? [];
  if (candidates.length === 0) throw noCandidates(body);
  const response: ChatResponse = {
    id: body.responseId ?? ctx.newId('chatcmpl'),
    object: 'chat.completion',
    created: ctx.nowSeconds(),
    model: body.modelVersion ?? '',
    choices: candidates.map((candidate, position) => toChoice(candidate, position, ctx)),
  };
  if (body.usageMetadata) response.usage = convertUsage(body.usageMetadata);
  return response;
}

/**
 * A prompt Gemini refuses to answer comes back as a 200 with no candidates and a
 * `promptFeedback.blockReason` (§4.1): the caller's input was filtered (Appendix B, 400
 * `content_filter`). Without a block reason an empty answer is the upstream's fault.
 */
export function noCandidates(body: GeminiResponse): BaimoError {
  const reason = body.promptFeedback?.blockReason;
  if (!reason) return malformedUpstreamBody('generateContent response has no candidates');
  return classifiedError('content_filter', { message: `The prompt was blocked by the upstream safety filter (${reason}).` });
}

function toChoice(candidate: GeminiCandidate, position: number, ctx: DecodeContext): ChatChoice {
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    const read = readPart(part, ctx);
    if (read?.kind === 'text') text.push(read.text);
    else if (read?.kind === 'reasoning') reasoning.push(read.text);
    else if (read?.kind === 'tool_call') toolCalls.push(read.call);
  }
  const message: ChatMessage = {
    role: 'assistant',
    content: text.length > 0 ? text.join('') : toolCalls.length > 0 ? null : '',
  };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    index: candidate.index ?? position,
    message,
    finish_reason: mapFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
}
