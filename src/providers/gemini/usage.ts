import type { Usage } from '../../protocol/chat.js';
import type { GeminiUsageMetadata } from './wire.js';

/**
 * Gemini `usageMetadata` → OpenAI usage (CATALOG.md §4.1). Thoughts are billed as output, so
 * completion = candidates + thoughts, with the thoughts also reported as `reasoning_tokens`.
 * Tokens of tool-use prompts (search results fed back by Google's own tools) are input.
 * `cachedContentTokenCount` is part of `promptTokenCount`, as OpenAI's `cached_tokens` is part of
 * `prompt_tokens`.
 */
export function convertUsage(meta: GeminiUsageMetadata): Usage {
  const prompt = (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0);
  const thoughts = meta.thoughtsTokenCount ?? 0;
  const completion = (meta.candidatesTokenCount ?? 0) + thoughts;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (meta.cachedContentTokenCount != null) usage.prompt_tokens_details = { cached_tokens: meta.cachedContentTokenCount };
  if (meta.thoughtsTokenCount != null) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}
