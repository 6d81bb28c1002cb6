import type { FinishReason } from '../../protocol/chat.js';

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason` (CATALOG.md §3). `pause_turn` (a server-tool
 * loop paused; the client continues by resending) has no OpenAI twin and ends the turn like
 * `stop`; `model_context_window_exceeded` is a length stop. An unknown future reason is passed on
 * as written rather than disguised as one we know.
 */
export function mapStopReason(reason: string | null | undefined): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return reason;
  }
}
