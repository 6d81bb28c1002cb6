import { upstreamError, type BaimoError } from '../../protocol/errors.js';
import type { DeltaEvent, StreamEvent } from '../../protocol/stream-events.js';
import type { DecodeContext, SseMessage, StreamDecoder } from '../adapter.js';
import { parseErrorJson } from './error-body.js';
import { mapBodyError, mapEmbeddedError } from './errors.js';
import { mapFinishReason } from './finish-reason.js';
import { asArray, asNonEmptyString, asNumber, asObject, asString, tryParseJson, type JsonObject } from './loose-json.js';
import { readReasoning } from './reasoning.js';
import { malformedResponse } from './response.js';
import { createThinkTagSplitter, type ThinkSplit, type ThinkTagSplitter } from './think-tags.js';
import { readToolCallDeltas } from './tool-calls.js';
import { normalizeUsage } from './usage.js';
import type { VendorEntry } from './vendors.js';

/**
 * OAI chat stream (CATALOG.md §1.3 plus Appendix A "null fields in deltas", "final usage chunk")
 * → canonical events. All state lives in one `StreamState` per upstream attempt; each step
 * function handles one kind of upstream frame.
 */

interface ChoiceState {
  finished: boolean;
  /** MiniMax inline `<think>` splitter (§13), one per choice because tags span chunks. */
  think?: ThinkTagSplitter;
}

interface StreamState {
  started: boolean;
  /** `[DONE]` seen. */
  done: boolean;
  /** A terminal error event was emitted; later frames are ignored. */
  failed: boolean;
  choices: Map<number, ChoiceState>;
}

export function createStreamDecoder(vendor: VendorEntry, ctx: DecodeContext): StreamDecoder {
  const state: StreamState = { started: false, done: false, failed: false, choices: new Map() };
  return {
    push: (message) => stepMessage(state, message, vendor, ctx),
    end: () => stepEnd(state),
    get done() {
      return state.done;
    },
  };
}

function stepMessage(state: StreamState, message: SseMessage, vendor: VendorEntry, ctx: DecodeContext): StreamEvent[] {
  if (state.done || state.failed) return [];
  const data = message.data.trim();
  if (data === '') return [];
  if (data === '[DONE]') return stepDone(state);
  const json = tryParseJson(data);
  if (json === undefined) return stepFailure(state, malformedResponse('Upstream sent a stream chunk that is not JSON.'));
  const error = errorInFrame(json, vendor, message.event);
  if (error) return stepFailure(state, error);
  const chunk = asObject(json);
  return chunk ? stepChunk(state, chunk, vendor, ctx) : [];
}

/** Error frames after the stream began: `{"error":…}` (§1.3), flat `object:"error"` (§24), TGI (§22), in-body codes (§13, §15). */
export function errorInFrame(json: unknown, vendor: VendorEntry, event: string | undefined): BaimoError | undefined {
  const chunk = asObject(json);
  const inBody = chunk && vendor.hooks.bodyError?.(chunk);
  if (inBody) return mapBodyError(vendor, inBody);
  const isError =
    Array.isArray(json) || event === 'error' || (chunk !== undefined && ((chunk.error !== undefined && chunk.error !== null) || chunk.object === 'error'));
  const parsed = isError ? parseErrorJson(json) : undefined;
  return parsed && mapEmbeddedError(vendor, parsed);
}

function stepChunk(state: StreamState, chunk: JsonObject, vendor: VendorEntry, ctx: DecodeContext): StreamEvent[] {
  const events: StreamEvent[] = [];
  // An empty `choices` is not content: the usage chunk, or Azure's early prompt-filter chunk (§2).
  for (const [position, raw] of (asArray(chunk.choices) ?? []).entries()) {
    const choice = asObject(raw);
    if (!choice) continue;
    events.push(...stepChoice(state, choice, position, vendor));
    if (vendor.usageInChoice) pushUsage(events, choice.usage); // Kimi (§11)
  }
  pushUsage(events, chunk.usage);
  if (events.length > 0 && !state.started) {
    state.started = true;
    events.unshift({
      type: 'start',
      id: asNonEmptyString(chunk.id) ?? ctx.newId('chatcmpl'),
      created: asNumber(chunk.created) || ctx.nowSeconds(),
      model: asNonEmptyString(chunk.model),
      system_fingerprint: asString(chunk.system_fingerprint),
    });
  }
  return events;
}

function stepChoice(state: StreamState, choice: JsonObject, position: number, vendor: VendorEntry): StreamEvent[] {
  const index = asNumber(choice.index) ?? position;
  const choiceState = choiceStateOf(state, index, vendor);
  // MiniMax may repeat the whole message in a closing chunk (§13): nothing after a finish is new.
  if (choiceState.finished) return [];
  const events: StreamEvent[] = [];
  const delta = asObject(choice.delta) ?? {};
  const event: DeltaEvent = { type: 'delta', index };
  if (delta.role === 'assistant') event.role = 'assistant';

  // `content: null` while reasoning streams means "no content in this chunk" (Appendix A).
  let content = asString(delta.content);
  let reasoningText = readReasoning(delta, vendor.reasoning);
  if (choiceState.think && content) {
    const split = choiceState.think.push(content);
    content = split.content;
    reasoningText = joinText(reasoningText, split.reasoning);
  }
  if (content) event.content = content;
  if (reasoningText) event.reasoning = reasoningText;
  const toolCalls = readToolCallDeltas(delta.tool_calls);
  if (toolCalls) event.tool_calls = toolCalls;
  const refusal = asNonEmptyString(delta.refusal);
  if (refusal !== undefined) event.refusal = refusal;
  if (choice.logprobs !== undefined && choice.logprobs !== null) event.logprobs = choice.logprobs;
  if (Object.keys(event).length > 2) events.push(event);

  const reason = mapFinishReason(choice.finish_reason);
  if (reason !== null) {
    const held = flushThink(choiceState, index);
    if (held) events.push(held);
    choiceState.finished = true;
    events.push({ type: 'finish', index, reason });
  }
  return events;
}

/**
 * `[DONE]` is the upstream saying the answer is complete. A choice it left open (Spark's last
 * chunk carries usage but no `finish_reason`, §15) ends normally, as `stop`.
 */
function stepDone(state: StreamState): StreamEvent[] {
  state.done = true;
  const events: StreamEvent[] = [];
  for (const [index, choiceState] of state.choices) {
    if (choiceState.finished) continue;
    const held = flushThink(choiceState, index);
    if (held) events.push(held);
    choiceState.finished = true;
    events.push({ type: 'finish', index, reason: 'stop' });
  }
  return events;
}

function stepFailure(state: StreamState, error: BaimoError): StreamEvent[] {
  state.failed = true;
  return [{ type: 'error', error }];
}

/** Body ended. Without `[DONE]` every started choice must have finished, else the stream was cut. */
function stepEnd(state: StreamState): StreamEvent[] {
  if (state.done || state.failed) return [];
  const finished = state.choices.size > 0 && [...state.choices.values()].every((choice) => choice.finished);
  if (finished) return [];
  state.failed = true;
  const error = upstreamError('Upstream stream ended before the response was complete.', {
    status: 502,
    code: 'upstream_stream_truncated',
    failure: 'transient',
  });
  return [{ type: 'error', error }];
}

function choiceStateOf(state: StreamState, index: number, vendor: VendorEntry): ChoiceState {
  let choiceState = state.choices.get(index);
  if (!choiceState) {
    choiceState = { finished: false, think: vendor.reasoning.thinkTags ? createThinkTagSplitter() : undefined };
    state.choices.set(index, choiceState);
  }
  return choiceState;
}

function flushThink(choiceState: ChoiceState, index: number): DeltaEvent | undefined {
  const held: ThinkSplit | undefined = choiceState.think?.flush();
  if (!held || (!held.content && !held.reasoning)) return undefined;
  return { type: 'delta', index, ...(held.content ? { content: held.content } : {}), ...(held.reasoning ? { reasoning: held.reasoning } : {}) };
}

function pushUsage(events: StreamEvent[], value: unknown): void {
  const usage = normalizeUsage(value);
  if (usage) events.push({ type: 'usage', usage });
}

function joinText(first: string | undefined, second: string): string | undefined {
  const joined = (first ?? '') + second;
  return joined.length > 0 ? joined : undefined;
}
