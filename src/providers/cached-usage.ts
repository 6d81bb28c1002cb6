import type { Usage } from '../protocol/chat.js';

/** Token counts of a format that reports cached input apart from fresh input (Anthropic §3, Bedrock §5). */
export interface SplitInputUsage {
  input?: number | null;
  output?: number | null;
  cacheRead?: number | null;
  cacheWrite?: number | null;
}

/**
 * Split-input usage → OpenAI usage. Anthropic's `input_tokens` and Bedrock's `inputTokens`
 * exclude cached input, while OpenAI's `prompt_tokens` includes it, so prompt = input + cache
 * read + cache write, and `cached_tokens` is the cache read. Cache writes are priced apart (1.25×
 * input, §3), so they are kept as `cache_creation_tokens` for metering when the upstream reports any.
 */
export function usageFromSplitInput(usage: SplitInputUsage): Usage {
  const cacheRead = usage.cacheRead ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  const prompt = (usage.input ?? 0) + cacheRead + cacheWrite;
  const completion = usage.output ?? 0;
  const out: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (usage.cacheRead != null || cacheWrite > 0) {
    out.prompt_tokens_details = { cached_tokens: cacheRead };
    if (cacheWrite > 0) out.prompt_tokens_details.cache_creation_tokens = cacheWrite;
  }
  return out;
}
