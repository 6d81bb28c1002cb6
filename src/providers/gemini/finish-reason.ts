import type { FinishReason } from '../../protocol/chat.js';

const CONTENT_FILTER = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

/**
 * Gemini `finishReason` → OpenAI `finish_reason` (CATALOG.md §4.1). Gemini ends a function-call
 * turn with `STOP`, so `STOP` becomes `tool_calls` when the candidate called functions, as OpenAI
 * clients loop on that. The safety family is `content_filter` (§4.1, Appendix B; IMAGE_SAFETY is
 * the same block for images). Reasons with no OpenAI twin (`MALFORMED_FUNCTION_CALL`, `LANGUAGE`,
 * `OTHER`…) are passed on lower-cased rather than disguised as a normal stop.
 */
export function mapFinishReason(reason: string | null | undefined, calledFunctions: boolean): FinishReason | null {
  if (reason == null || reason === 'FINISH_REASON_UNSPECIFIED') return null;
  if (reason === 'STOP') return calledFunctions ? 'tool_calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(reason)) return 'content_filter';
  return reason.toLowerCase();
}
