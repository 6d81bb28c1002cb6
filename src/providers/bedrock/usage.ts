import type { Usage } from '../../protocol/chat.js';
import { usageFromSplitInput } from '../cached-usage.js';
import type { BedrockUsage } from './wire.js';

/**
 * Converse usage → OpenAI usage (CATALOG.md §5). `inputTokens` excludes cached input, as
 * Anthropic's does (cached-usage.ts); `totalTokens` is not read, it is recomputed from the parts.
 */
export function convertUsage(usage: BedrockUsage): Usage {
  return usageFromSplitInput({
    input: usage.inputTokens,
    output: usage.outputTokens,
    cacheRead: usage.cacheReadInputTokens,
    cacheWrite: usage.cacheWriteInputTokens,
  });
}
