import { stopReasonMapper } from '../stop-reasons.js';

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason` (CATALOG.md §3). `pause_turn` (a server-tool
 * loop paused; the client continues by resending) has no OpenAI twin and ends the turn like
 * `stop`; `model_context_window_exceeded` is a length stop.
 */
export const mapStopReason = stopReasonMapper({
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
});
