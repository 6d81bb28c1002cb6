import type { BaimoError } from '../../protocol/errors.js';
import type { DeltaEvent, StreamEvent } from '../../protocol/stream-events.js';
import type { DecodeContext, SseMessage, StreamDecoder } from '../adapter.js';
import { createEventStreamFramer, type EventStreamMessage } from '../event-stream.js';
import { parseUpstreamJson } from '../parse-upstream.js';
import { streamTruncated } from '../stream-truncated.js';
import { thinkingReplayData, type ThinkingReplay } from '../thinking-replay.js';
import { bedrockError } from './errors.js';
import { REPLAY_FAMILY } from './messages.js';
import { mapStopReason } from './stop-reason.js';
import { convertUsage } from './usage.js';
import { StreamEventSchema, type BedrockStreamEvent } from './wire.js';

/**
 * ConverseStream (CATALOG.md §5) → canonical stream events. The body is AWS event-stream, not SSE:
 * `pushBytes` frames it (event-stream.ts) and hands each event to `push` as `{event: :event-type,
 * data: payload}`. The decoder is an explicit state object plus one small step per event kind:
 *   messageStart       → start + role delta (emitted before the first other event if it never came)
 *   contentBlockStart  → a toolUse block opens an OpenAI tool call (id, name) at the next tool
 *                        index, remembered by its contentBlockIndex
 *   contentBlockDelta  → text / tool-argument fragment / reasoning / reasoning signature or
 *                        redacted reasoning (replay data)
 *   contentBlockStop   → nothing
 *   messageStop        → finish (stop reason); the stream is complete
 *   metadata           → usage (it follows messageStop)
 *   exception messages → error event (throttlingException, modelStreamErrorException…); terminal
 *   unknown kinds      → nothing
 * Argument fragments are relayed as they come, never parsed: only the client concatenates them.
 */

export interface BedrockStreamState {
  phase: 'streaming' | 'stopped' | 'failed';
  /** `start` was emitted (normally at messageStart; before the first other event if that never came). */
  started: boolean;
  /** contentBlockIndex → OpenAI tool-call index, for toolUse blocks. */
  tools: Map<number, number>;
  toolCount: number;
  replay: ThinkingReplay;
}

type Step = (state: BedrockStreamState, event: BedrockStreamEvent, ctx: DecodeContext) => StreamEvent[];

const STEPS = new Map<string, Step>([
  ['messageStart', onMessageStart],
  ['contentBlockStart', onBlockStart],
  ['contentBlockDelta', onBlockDelta],
  ['messageStop', onMessageStop],
  ['metadata', onMetadata],
]);

export function createBedrockDecoder(ctx: DecodeContext): StreamDecoder {
  const state: BedrockStreamState = { phase: 'streaming', started: false, tools: new Map(), toolCount: 0, replay: {} };
  const framer = createEventStreamFramer();
  const push = (message: SseMessage): StreamEvent[] => {
    if (state.phase === 'failed' || message.data.trim() === '') return [];
    const step = STEPS.get(message.event ?? '');
    if (!step) return [];
    let event: BedrockStreamEvent;
    try {
      event = parseUpstreamJson(StreamEventSchema, message.data, `Stream event ${message.event}`);
    } catch (error) {
      return fail(state, error as BaimoError);
    }
    const events = step(state, event, ctx);
    return state.started || events.length === 0 ? events : [...onMessageStart(state, event, ctx), ...events];
  };
  return {
    push,
    pushBytes(chunk) {
      if (state.phase === 'failed') return [];
      let messages: EventStreamMessage[];
      try {
        messages = framer.feed(chunk);
      } catch (error) {
        return fail(state, error as BaimoError);
      }
      const events: StreamEvent[] = [];
      for (const message of messages) {
        if (message.messageType !== 'event') {
          events.push(...fail(state, exceptionError(message)));
          break;
        }
        events.push(...push({ event: message.type, data: message.data }));
      }
      return events;
    },
    end(): StreamEvent[] {
      // Cut before messageStop, or in the middle of a frame before it: incomplete.
      return state.phase === 'streaming' ? fail(state, streamTruncated()) : [];
    },
    get done() {
      return state.phase === 'stopped';
    },
  };
}

/** An `exception` carries `{"message"}` as payload; an `error` carries its message in a header. */
function exceptionError(message: EventStreamMessage): BaimoError {
  if (message.messageType === 'error') return bedrockError(message.type || 'InternalServerException', message.data || undefined);
  let text: string | undefined;
  try {
    const body = JSON.parse(message.data) as { message?: unknown; Message?: unknown };
    const found = body.message ?? body.Message;
    text = typeof found === 'string' ? found : undefined;
  } catch {
    text = undefined;
  }
  return bedrockError(message.type || 'InternalServerException', text);
}

function fail(state: BedrockStreamState, error: BaimoError): StreamEvent[] {
  state.phase = 'failed';
  return [{ type: 'error', error }];
}

function onMessageStart(state: BedrockStreamState, _event: BedrockStreamEvent, ctx: DecodeContext): StreamEvent[] {
  if (state.started) return [];
  state.started = true;
  return [
    { type: 'start', id: ctx.newId('chatcmpl'), created: ctx.nowSeconds() },
    { type: 'delta', index: 0, role: 'assistant' },
  ];
}

function onBlockStart(state: BedrockStreamState, event: BedrockStreamEvent, ctx: DecodeContext): StreamEvent[] {
  const toolUse = event.start?.toolUse;
  if (!toolUse) return [];
  const toolIndex = state.toolCount++;
  state.tools.set(event.contentBlockIndex ?? 0, toolIndex);
  return [delta({ tool_calls: [{ index: toolIndex, id: toolUse.toolUseId ?? ctx.newId('call'), name: toolUse.name ?? '', arguments: '' }] })];
}

function onBlockDelta(state: BedrockStreamState, event: BedrockStreamEvent): StreamEvent[] {
  const d = event.delta;
  if (!d) return [];
  if (d.text) return [delta({ content: d.text })];
  if (d.toolUse) {
    const toolIndex = state.tools.get(event.contentBlockIndex ?? 0);
    if (toolIndex === undefined || !d.toolUse.input) return [];
    return [delta({ tool_calls: [{ index: toolIndex, arguments: d.toolUse.input }] })];
  }
  const reasoning = d.reasoningContent;
  if (reasoning?.text) return [delta({ reasoning: reasoning.text })];
  if (reasoning?.signature) return replayDelta(state, { signature: reasoning.signature });
  if (reasoning?.redactedContent) {
    return replayDelta(state, { redacted_thinking: [...(state.replay.redacted_thinking ?? []), reasoning.redactedContent] });
  }
  return [];
}

function onMessageStop(state: BedrockStreamState, event: BedrockStreamEvent): StreamEvent[] {
  state.phase = 'stopped';
  const reason = mapStopReason(event.stopReason);
  return reason ? [{ type: 'finish', index: 0, reason }] : [];
}

function onMetadata(_state: BedrockStreamState, event: BedrockStreamEvent): StreamEvent[] {
  return event.usage ? [{ type: 'usage', usage: convertUsage(event.usage) }] : [];
}

function delta(fields: Omit<DeltaEvent, 'type' | 'index'>): DeltaEvent {
  return { type: 'delta', index: 0, ...fields };
}

/** Message-level replay data rides on a delta as a snapshot of everything so far (later wins), as on the Anthropic route. */
function replayDelta(state: BedrockStreamState, update: ThinkingReplay): StreamEvent[] {
  state.replay = { ...state.replay, ...update };
  return [{ type: 'delta', index: 0, provider_data: thinkingReplayData(REPLAY_FAMILY, state.replay) }];
}
