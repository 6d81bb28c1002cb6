import type { Usage } from '../../protocol/chat.js';
import { asNumber, asObject } from './loose-json.js';

/**
 * Upstream usage → canonical `Usage` (CATALOG.md §1.2 shape). Unknown is not zero: without both
 * prompt and completion counts the result is `undefined`, never a made-up 0.
 * Vendor spellings folded in: DeepSeek/SiliconFlow `prompt_cache_hit_tokens` (§12, §17) for the
 * cached count; `input_tokens`/`output_tokens` where an OAI server borrows the Anthropic names.
 */
export function normalizeUsage(value: unknown): Usage | undefined {
  const raw = asObject(value);
  if (!raw) return undefined;
  const prompt = asNumber(raw.prompt_tokens) ?? asNumber(raw.input_tokens);
  const completion = asNumber(raw.completion_tokens) ?? asNumber(raw.output_tokens);
  if (prompt === undefined || completion === undefined) return undefined;

  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: asNumber(raw.total_tokens) ?? prompt + completion,
  };
  const cached = asNumber(asObject(raw.prompt_tokens_details)?.cached_tokens) ?? asNumber(raw.prompt_cache_hit_tokens);
  if (cached !== undefined) usage.prompt_tokens_details = { cached_tokens: cached };
  const reasoningTokens = asNumber(asObject(raw.completion_tokens_details)?.reasoning_tokens);
  if (reasoningTokens !== undefined) usage.completion_tokens_details = { reasoning_tokens: reasoningTokens };
  return usage;
}
