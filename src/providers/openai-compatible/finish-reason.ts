import type { FinishReason } from '../../protocol/chat.js';
import { asNonEmptyString } from './loose-json.js';

/**
 * Vendor spellings of OpenAI's finish reasons (CATALOG.md §1.2). Values not listed here pass
 * through unchanged (e.g. DeepSeek's `insufficient_system_resource`, §12): they carry meaning a
 * client may want, and the canonical type allows any string.
 */
const SYNONYMS: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  function_call: 'function_call',
  normal: 'stop', // older Qianfan docs (§7.1)
  sensitive: 'content_filter', // Hunyuan stream moderation (§9.2)
  eos_token: 'stop', // TGI (§22)
  eos: 'stop',
  max_tokens: 'length',
  tool_call: 'tool_calls',
};

/** `null` for "not finished yet", including DashScope's string `"null"` (§6.3). */
export function mapFinishReason(value: unknown): FinishReason | null {
  const reason = asNonEmptyString(value);
  if (reason === undefined || reason === 'null') return null;
  return SYNONYMS[reason] ?? reason;
}
