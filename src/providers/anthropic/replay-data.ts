/**
 * Thinking blocks must go back to Anthropic unchanged in later turns when tools are used
 * (CATALOG.md §3): the thinking text travels as the message's `reasoning_content`, and what
 * OpenAI's shape has no room for travels in `provider_data.anthropic`:
 *  - `signature`: the thinking block's signature;
 *  - `redacted_thinking`: the opaque `data` of each `redacted_thinking` block, in order.
 * Keyed by family so that data from another provider is never replayed here.
 *
 * Known limit: one signature per message. A response with several thinking blocks (interleaved
 * thinking around server tools) keeps the last signature, and its replay will not validate.
 */
export interface AnthropicReplay {
  signature?: string;
  redacted_thinking?: string[];
}

export function readReplay(providerData: Record<string, unknown> | undefined): AnthropicReplay {
  const raw = providerData?.anthropic;
  if (typeof raw !== 'object' || raw === null) return {};
  const { signature, redacted_thinking: redacted } = raw as Record<string, unknown>;
  const out: AnthropicReplay = {};
  if (typeof signature === 'string' && signature !== '') out.signature = signature;
  if (Array.isArray(redacted)) out.redacted_thinking = redacted.filter((d): d is string => typeof d === 'string');
  return out;
}

/** `{anthropic: replay}` for a message or delta, or undefined when there is nothing to replay. */
export function replayProviderData(replay: AnthropicReplay): Record<string, unknown> | undefined {
  const anthropic: AnthropicReplay = {};
  if (replay.signature) anthropic.signature = replay.signature;
  if (replay.redacted_thinking && replay.redacted_thinking.length > 0) anthropic.redacted_thinking = [...replay.redacted_thinking];
  return Object.keys(anthropic).length > 0 ? { anthropic } : undefined;
}
