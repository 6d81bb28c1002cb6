import type { BaimoError } from './errors.js';
import type { FinishReason, Usage } from './chat.js';

/**
 * The canonical stream event union. Adapters decode upstream frames into these; surface codecs
 * encode them for clients. Never change a variant's meaning: add a new variant instead.
 */
export type StreamEvent = StartEvent | DeltaEvent | FinishEvent | UsageEvent | ErrorEvent;

/** Response metadata; adapters emit it once, before any delta. */
export interface StartEvent {
  type: 'start';
  id: string;
  created: number;
  /** Upstream's model name; surface codecs show the public name instead. */
  model?: string;
  system_fingerprint?: string | null;
}

export interface ToolCallDelta {
  /** Position of the call within the choice's tool_calls (OpenAI `index`). */
  index: number;
  id?: string;
  name?: string;
  /** A fragment of the JSON arguments string; concatenate per index. */
  arguments?: string;
  provider_data?: Record<string, unknown>;
}

export interface DeltaEvent {
  type: 'delta';
  /** Choice index (n > 1). */
  index: number;
  role?: 'assistant';
  content?: string;
  reasoning?: string;
  tool_calls?: ToolCallDelta[];
  refusal?: string;
  logprobs?: unknown;
  /** Replay data (thinking signatures) for the message; not shown to OpenAI-surface clients. */
  provider_data?: Record<string, unknown>;
}

export interface FinishEvent {
  type: 'finish';
  index: number;
  reason: FinishReason;
  logprobs?: unknown;
}

export interface UsageEvent {
  type: 'usage';
  usage: Usage;
}

/** A failure after the stream began (upstream error frame, reset, idle timeout). Terminal. */
export interface ErrorEvent {
  type: 'error';
  error: BaimoError;
}

/**
 * A legacy completions stream (`/v1/completions`) is relayed in OpenAI's own chunk shape rather
 * than translated: each upstream `text_completion` chunk, validated, with its usage (normalised)
 * for metering. Its failures are the same terminal `error` event as a canonical stream's.
 */
export type CompletionStreamEvent = CompletionChunkEvent | ErrorEvent;

export interface CompletionChunkEvent {
  type: 'chunk';
  /** The upstream chunk as sent (`{id, object, created, model, choices, usage?}`); surface codecs swap the model. */
  chunk: Record<string, unknown>;
  /** The chunk's usage, when it carried a complete one. */
  usage?: Usage;
}
