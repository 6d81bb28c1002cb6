import type { Usage } from '../../protocol/chat.js';
import type { AnthropicUsage } from './wire.js';

/**
 * Anthropic usage → OpenAI usage (CATALOG.md §3). Anthropic's `input_tokens` excludes cached
 * input, while OpenAI's `prompt_tokens` includes it, so prompt = input + cache read + cache write,
 * and `cached_tokens` is the cache read. Cache writes are priced apart (1.25× input, §3), so they
 * are kept as `cache_creation_tokens` for metering when the upstream reports any.
 */
export function convertUsage(usage: AnthropicUsage): Usage {
  const input = usage.input_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const prompt = input + cacheRead + cacheWrite;
  const completion = usage.output_tokens ?? 0;
  const out: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (usage.cache_read_input_tokens != null || cacheWrite > 0) {
    out.prompt_tokens_details = { cached_tokens: cacheRead };
    if (cacheWrite > 0) out.prompt_tokens_details.cache_creation_tokens = cacheWrite;
  }
  return out;
}

/** Stream usage arrives in pieces (`message_start`, then cumulative `message_delta`); later values win. */
export function mergeUsage(into: AnthropicUsage, update: AnthropicUsage | null | undefined): AnthropicUsage {
  if (!update) return into;
  const merged: AnthropicUsage = { ...into };
  for (const key of USAGE_KEYS) {
    const value = update[key];
    if (value != null) merged[key] = value;
  }
  return merged;
}

const USAGE_KEYS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;
