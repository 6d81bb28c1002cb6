import type { ChatChoice, ChatMessage, ChatResponse } from '../../protocol/chat.js';
import { upstreamError, type BaimoError } from '../../protocol/errors.js';
import type { DecodeContext } from '../adapter.js';
import { parseErrorJson } from './error-body.js';
import { mapBodyError, mapEmbeddedError } from './errors.js';
import { mapFinishReason } from './finish-reason.js';
import { asArray, asNonEmptyString, asNumber, asObject, asString, type JsonObject } from './loose-json.js';
import { readReasoning } from './reasoning.js';
import { splitThinkTags } from './think-tags.js';
import { readToolCalls } from './tool-calls.js';
import { normalizeUsage } from './usage.js';
import type { VendorEntry } from './vendors.js';

/**
 * A 2xx chat body → canonical ChatResponse. Loose: extra fields are ignored, missing optional
 * ones are fine; only a body without `choices` is refused. Errors reported inside a 200
 * (MiniMax `base_resp`, Spark `code`, a bare `{"error":…}`) are thrown as BaimoErrors.
 */
export function parseChatResponse(json: unknown, vendor: VendorEntry, ctx: DecodeContext): ChatResponse {
  const body = asObject(json);
  if (!body) throw malformedResponse('Upstream returned a chat response that is not a JSON object.');
  throwIfErrorBody(body, vendor);
  const choices = asArray(body.choices);
  if (!choices) throw malformedResponse('Upstream returned a chat response without choices.');

  const response: ChatResponse = {
    id: asNonEmptyString(body.id) ?? ctx.newId('chatcmpl'),
    object: 'chat.completion',
    created: asNumber(body.created) || ctx.nowSeconds(),
    model: asString(body.model) ?? '',
    choices: choices.map((choice, position) => parseChoice(asObject(choice) ?? {}, position, vendor, ctx)),
  };
  const usage = normalizeUsage(body.usage);
  if (usage) response.usage = usage;
  const fingerprint = asString(body.system_fingerprint);
  if (fingerprint !== undefined) response.system_fingerprint = fingerprint;
  return response;
}

/** Throws when a 2xx body is really an error (shared with the other codecs). */
export function throwIfErrorBody(body: JsonObject, vendor: VendorEntry): void {
  const inBody = vendor.hooks.bodyError?.(body);
  if (inBody) throw mapBodyError(vendor, inBody);
  if (body.error !== undefined && body.error !== null && !Array.isArray(body.choices)) {
    const parsed = parseErrorJson(body);
    if (parsed) throw mapEmbeddedError(vendor, parsed);
  }
}

export function malformedResponse(message: string): BaimoError {
  return upstreamError(message, { status: 502, code: 'upstream_malformed_response', failure: 'transient' });
}

function parseChoice(choice: JsonObject, position: number, vendor: VendorEntry, ctx: DecodeContext): ChatChoice {
  const raw = asObject(choice.message) ?? {};
  let content: ChatMessage['content'] = typeof raw.content === 'string' || Array.isArray(raw.content) ? (raw.content as ChatMessage['content']) : null;
  let reasoningText = readReasoning(raw, vendor.reasoning);
  if (vendor.reasoning.thinkTags && typeof content === 'string') {
    const split = splitThinkTags(content);
    if (split.reasoning) {
      content = split.content;
      reasoningText = (reasoningText ?? '') + split.reasoning;
    }
  }

  const message: ChatMessage = { role: 'assistant', content };
  if (reasoningText) message.reasoning_content = reasoningText;
  const toolCalls = readToolCalls(raw.tool_calls, ctx.newId);
  if (toolCalls) message.tool_calls = toolCalls;
  const refusal = asNonEmptyString(raw.refusal);
  if (refusal !== undefined) message.refusal = refusal;

  const parsed: ChatChoice = {
    index: asNumber(choice.index) ?? position,
    message,
    finish_reason: mapFinishReason(choice.finish_reason),
  };
  if (choice.logprobs !== undefined && choice.logprobs !== null) parsed.logprobs = choice.logprobs;
  return parsed;
}
