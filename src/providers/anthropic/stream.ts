import type { BaimoError } from '../../protocol/errors.js';
import type { DeltaEvent, StreamEvent } from '../../protocol/stream-events.js';
import type { DecodeContext, SseMessage, StreamDecoder } from '../adapter.js';
import { parseUpstreamJson } from '../parse-upstream.js';
import { streamTruncated } from '../stream-truncated.js';
import { anthropicError } from './errors.js';
import { replayProviderData, type AnthropicReplay } from './replay-data.js';
import { mapStopReason } from './stop-reason.js';
import { convertUsage, mergeUsage } from './usage.js';
import { StreamEventSchema, type AnthropicStreamEvent, type AnthropicUsage } from './wire.js';

/**
 * Anthropic's named SSE events (CATALOG.md §3) → canonical stream events. The decoder is an
 * explicit state object plus one small step per event kind:
 *   message_start        → start (+ role delta); input usage remembered
 *   content_block_start  → the block's kind is remembered by its wire index; a tool_use block
 *                          opens an OpenAI tool call (id, name) at the next tool index
 *   content_block_delta  → text / tool-argument fragment / reasoning / thinking signature
 *   content_block_stop   → nothing, unless a tool's input came whole in its start block
 *   message_delta        → finish (stop reason); output usage, which is cumulative
 *   message_stop         → usage; the stream is done
 *   error                → error event (e.g. overloaded_error after HTTP 200); terminal
 *   ping, unknown kinds  → nothing
 * Argument fragments are relayed as they come, never parsed: only the client concatenates them.
 */

/**
 * `DeltaEvent` has no field for message-level replay data yet, so the thinking signature rides
 * on the delta as `provider_data`, a snapshot of everything to replay so far (later wins).
 */
export type ReplayDeltaEvent = DeltaEvent & { provider_data?: Record<string, unknown> };

type BlockState =
  | { kind: 'text' | 'thinking' | 'other' }
  | { kind: 'tool'; toolIndex: number; sawArguments: boolean; startInput: unknown };

export interface AnthropicStreamState {
  phase: 'streaming' | 'done' | 'failed';
  blocks: Map<number, BlockState>;
  toolCount: number;
  usage: AnthropicUsage;
  replay: AnthropicReplay;
}

type Step = (state: AnthropicStreamState, event: AnthropicStreamEvent, ctx: DecodeContext) => StreamEvent[];

const STEPS = new Map<string, Step>([
  ['message_start', onMessageStart],
  ['content_block_start', onBlockStart],
  ['content_block_delta', onBlockDelta],
  ['content_block_stop', onBlockStop],
  ['message_delta', onMessageDelta],
  ['message_stop', onMessageStop],
  ['error', onError],
]);

export function createAnthropicDecoder(ctx: DecodeContext): StreamDecoder {
  const state: AnthropicStreamState = { phase: 'streaming', blocks: new Map(), toolCount: 0, usage: {}, replay: {} };
  return {
    push(message: SseMessage): StreamEvent[] {
      if (state.phase !== 'streaming' || message.data.trim() === '') return [];
      let event: AnthropicStreamEvent;
      try {
        event = parseUpstreamJson(StreamEventSchema, message.data, 'Stream event');
      } catch (error) {
        return fail(state, error as BaimoError);
      }
      const step = STEPS.get(event.type ?? message.event ?? '');
      return step ? step(state, event, ctx) : [];
    },
    end(): StreamEvent[] {
      return state.phase === 'streaming' ? fail(state, streamTruncated()) : [];
    },
    get done() {
      return state.phase === 'done';
    },
  };
}

function fail(state: AnthropicStreamState, error: BaimoError): StreamEvent[] {
  state.phase = 'failed';
  return [{ type: 'error', error }];
}

function onMessageStart(state: AnthropicStreamState, event: AnthropicStreamEvent, ctx: DecodeContext): StreamEvent[] {
  const message = event.message;
  state.usage = mergeUsage(state.usage, message?.usage);
  return [
    { type: 'start', id: message?.id ?? ctx.newId('chatcmpl'), created: ctx.nowSeconds(), model: message?.model ?? undefined },
    { type: 'delta', index: 0, role: 'assistant' },
  ];
}

function onBlockStart(state: AnthropicStreamState, event: AnthropicStreamEvent, ctx: DecodeContext): StreamEvent[] {
  const block = event.content_block;
  const index = event.index ?? 0;
  switch (block?.type) {
    case 'text':
      state.blocks.set(index, { kind: 'text' });
      return block.text ? [delta({ content: block.text })] : [];
    case 'thinking':
      state.blocks.set(index, { kind: 'thinking' });
      return [
        ...(block.thinking ? [delta({ reasoning: block.thinking })] : []),
        ...(block.signature ? replayDelta(state, { signature: block.signature }) : []),
      ];
    case 'redacted_thinking':
      state.blocks.set(index, { kind: 'other' });
      if (!block.data) return [];
      return replayDelta(state, { redacted_thinking: [...(state.replay.redacted_thinking ?? []), block.data] });
    case 'tool_use': {
      const toolIndex = state.toolCount++;
      state.blocks.set(index, { kind: 'tool', toolIndex, sawArguments: false, startInput: block.input });
      const id = block.id ?? ctx.newId('call');
      return [delta({ tool_calls: [{ index: toolIndex, id, name: block.name ?? '', arguments: '' }] })];
    }
    default:
      state.blocks.set(index, { kind: 'other' });
      return [];
  }
}

function onBlockDelta(state: AnthropicStreamState, event: AnthropicStreamEvent): StreamEvent[] {
  const block = state.blocks.get(event.index ?? 0);
  const d = event.delta;
  switch (d?.type) {
    case 'text_delta':
      return d.text ? [delta({ content: d.text })] : [];
    case 'thinking_delta':
      return d.thinking ? [delta({ reasoning: d.thinking })] : [];
    case 'signature_delta':
      return d.signature ? replayDelta(state, { signature: d.signature }) : [];
    case 'input_json_delta':
      if (block?.kind !== 'tool' || !d.partial_json) return [];
      block.sawArguments = true;
      return [delta({ tool_calls: [{ index: block.toolIndex, arguments: d.partial_json }] })];
    default:
      return [];
  }
}

function onBlockStop(state: AnthropicStreamState, event: AnthropicStreamEvent): StreamEvent[] {
  const block = state.blocks.get(event.index ?? 0);
  if (block?.kind !== 'tool' || block.sawArguments || !hasKeys(block.startInput)) return [];
  return [delta({ tool_calls: [{ index: block.toolIndex, arguments: JSON.stringify(block.startInput) }] })];
}

function onMessageDelta(state: AnthropicStreamState, event: AnthropicStreamEvent): StreamEvent[] {
  state.usage = mergeUsage(state.usage, event.usage);
  const reason = mapStopReason(event.delta?.stop_reason);
  return reason ? [{ type: 'finish', index: 0, reason }] : [];
}

function onMessageStop(state: AnthropicStreamState): StreamEvent[] {
  state.phase = 'done';
  return [{ type: 'usage', usage: convertUsage(state.usage) }];
}

function onError(state: AnthropicStreamState, event: AnthropicStreamEvent): StreamEvent[] {
  return fail(state, anthropicError(event.error?.type ?? 'api_error', event.error?.message ?? undefined));
}

function delta(fields: Omit<DeltaEvent, 'type' | 'index'>): DeltaEvent {
  return { type: 'delta', index: 0, ...fields };
}

function replayDelta(state: AnthropicStreamState, update: AnthropicReplay): StreamEvent[] {
  state.replay = { ...state.replay, ...update };
  const event: ReplayDeltaEvent = { type: 'delta', index: 0, provider_data: replayProviderData(state.replay) };
  return [event];
}

function hasKeys(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}
