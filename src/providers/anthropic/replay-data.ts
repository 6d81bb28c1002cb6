import { readThinkingReplay, thinkingReplayData, type ThinkingReplay } from '../thinking-replay.js';

/** Anthropic thinking replay data (CATALOG.md §3), in `provider_data.anthropic`: see thinking-replay.ts. */
export type AnthropicReplay = ThinkingReplay;

export function readReplay(providerData: Record<string, unknown> | undefined): AnthropicReplay {
  return readThinkingReplay(providerData, 'anthropic');
}

/** `{anthropic: replay}` for a message or delta, or undefined when there is nothing to replay. */
export function replayProviderData(replay: AnthropicReplay): Record<string, unknown> | undefined {
  return thinkingReplayData('anthropic', replay);
}
