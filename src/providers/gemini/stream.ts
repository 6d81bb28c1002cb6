import type { BaimoError } from '../../protocol/errors.js';
import type { DeltaEvent, StreamEvent } from '../../protocol/stream-events.js';
import type { DecodeContext, SseMessage, StreamDecoder } from '../adapter.js';
import { parseUpstreamJson } from '../parse-upstream.js';
import { streamTruncated } from '../stream-truncated.js';
import { geminiError } from './errors.js';
import { mapFinishReason } from './finish-reason.js';
import { readPart } from './parts.js';
import { noCandidates } from './response.js';
import { convertUsage } from './usage.js';
import { ResponseSchema, type GeminiCandidate, type GeminiResponse, type GeminiUsageMetadata } from './wire.js';

/**
 * `streamGenerateContent?alt=sse` (CATALOG.md §4.1) → canonical stream events. Every SSE `data:`
 * is a complete GenerateContentResponse holding the next parts, and there is no `[DONE]`: the
 * stream is complete once every candidate has carried a `finishReason`. `usageMetadata` rides on
 * the chunks (the last one is the total), so usage is emitted at `end()`, after any trailing
 * usage-only chunk has been read. Each chunk is one step:
 *   first chunk            → start
 *   a candidate first seen → role delta
 *   each part              → content / reasoning delta, or a whole tool call (Gemini sends a
 *                            function call complete, never in fragments)
 *   finishReason           → finish for that candidate
 *   `error` / blocked      → error event; terminal
 */

interface CandidateState {
  toolCount: number;
  finished: boolean;
}

export interface GeminiStreamState {
  phase: 'streaming' | 'finished' | 'failed';
  started: boolean;
  candidates: Map<number, CandidateState>;
  usage: GeminiUsageMetadata | undefined;
}

export function createGeminiDecoder(ctx: DecodeContext): StreamDecoder {
  const state: GeminiStreamState = { phase: 'streaming', started: false, candidates: new Map(), usage: undefined };
  return {
    push(message: SseMessage): StreamEvent[] {
      if (state.phase === 'failed' || message.data.trim() === '') return [];
      let chunk: GeminiResponse;
      try {
        chunk = parseUpstreamJson(ResponseSchema, message.data, 'Stream chunk');
      } catch (error) {
        return fail(state, error as BaimoError);
      }
      return step(state, chunk, ctx);
    },
    end(): StreamEvent[] {
      if (state.phase === 'streaming') return fail(state, streamTruncated());
      if (state.phase === 'finished' && state.usage) return [{ type: 'usage', usage: convertUsage(state.usage) }];
      return [];
    },
    get done() {
      return state.phase === 'finished';
    },
  };
}

function step(state: GeminiStreamState, chunk: GeminiResponse, ctx: DecodeContext): StreamEvent[] {
  if (chunk.error) return fail(state, geminiError(chunk.error));
  if (chunk.usageMetadata) state.usage = chunk.usageMetadata;
  if (state.phase === 'finished') return [];
  const candidates = chunk.candidates ?? [];
  if (candidates.length === 0) return chunk.promptFeedback?.blockReason ? fail(state, noCandidates(chunk)) : [];

  const events: StreamEvent[] = [];
  if (!state.started) {
    state.started = true;
    events.push({ type: 'start', id: chunk.responseId ?? ctx.newId('chatcmpl'), created: ctx.nowSeconds(), model: chunk.modelVersion ?? undefined });
  }
  candidates.forEach((candidate, position) => events.push(...candidateEvents(state, candidate, position, ctx)));
  if ([...state.candidates.values()].every((c) => c.finished)) state.phase = 'finished';
  return events;
}

function candidateEvents(state: GeminiStreamState, candidate: GeminiCandidate, position: number, ctx: DecodeContext): StreamEvent[] {
  const index = candidate.index ?? position;
  const events: StreamEvent[] = [];
  let current = state.candidates.get(index);
  if (!current) {
    current = { toolCount: 0, finished: false };
    state.candidates.set(index, current);
    events.push({ type: 'delta', index, role: 'assistant' });
  }
  for (const part of candidate.content?.parts ?? []) {
    const read = readPart(part, ctx);
    if (read?.kind === 'text') events.push(delta(index, { content: read.text }));
    else if (read?.kind === 'reasoning') events.push(delta(index, { reasoning: read.text }));
    else if (read?.kind === 'tool_call') {
      const { id, function: fn, provider_data } = read.call;
      const call = { index: current.toolCount++, id, name: fn.name, arguments: fn.arguments };
      events.push(delta(index, { tool_calls: [provider_data ? { ...call, provider_data } : call] }));
    }
  }
  const reason = mapFinishReason(candidate.finishReason, current.toolCount > 0);
  if (reason && !current.finished) {
    current.finished = true;
    events.push({ type: 'finish', index, reason });
  }
  return events;
}

function delta(index: number, fields: Omit<DeltaEvent, 'type' | 'index'>): DeltaEvent {
  return { type: 'delta', index, ...fields };
}

function fail(state: GeminiStreamState, error: BaimoError): StreamEvent[] {
  state.phase = 'failed';
  return [{ type: 'error', error }];
}
