import type { Usage } from '../../protocol/chat.js';
import { usageFromSplitInput } from '../cached-usage.js';
import type { AnthropicUsage } from './wire.js';

/** Anthropic usage → OpenAI usage (CATALOG.md §3): input excludes cached input, as described in cached-usage.ts. */
export function convertUsage(usage: AnthropicUsage): Usage {
  return usageFromSplitInput({
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens,
    cacheWrite: usage.cache_creation_input_tokens,
  });
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
