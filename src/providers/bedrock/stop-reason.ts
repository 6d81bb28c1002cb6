import { stopReasonMapper } from '../stop-reasons.js';

/**
 * Converse `stopReason` → OpenAI `finish_reason` (CATALOG.md §5). A guardrail intervention and a
 * content filter both stopped the output for its content (Appendix B: 200 with `content_filter`).
 */
export const mapStopReason = stopReasonMapper({
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
});
