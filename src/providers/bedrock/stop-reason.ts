import type { FinishReason } from '../../protocol/chat.js';

/**
 * Converse `stopReason` → OpenAI `finish_reason` (CATALOG.md §5). A guardrail intervention and a
 * content filter both stopped the output for its content (Appendix B: 200 with
 * `content_filter`). An unknown future reason is passed on as written rather than disguised as
 * one we know.
 */
export function mapStopReason(reason: string | null | undefined): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return reason;
  }
}
