/**
 * Claude thinking blocks must go back unchanged in later turns when tools are used (CATALOG.md
 * §3; the same holds for Claude on Bedrock Converse, §5): the thinking text travels as the
 * message's `reasoning_content`, and what OpenAI's shape has no room for travels in
 * `provider_data.<family>`:
 *  - `signature`: the thinking block's signature;
 *  - `redacted_thinking`: the opaque data of each redacted block, in order.
 * Keyed by family so that data from one route is never replayed on another (a signature only
 * validates where it was issued).
 *
 * Known limit: one signature per message. A response with several thinking blocks (interleaved
 * thinking around server tools) keeps the last signature, and its replay will not validate.
 */
export interface ThinkingReplay {
  signature?: string;
  redacted_thinking?: string[];
}

export function readThinkingReplay(providerData: Record<string, unknown> | undefined, family: string): ThinkingReplay {
  const raw = providerData?.[family];
  if (typeof raw !== 'object' || raw === null) return {};
  const { signature, redacted_thinking: redacted } = raw as Record<string, unknown>;
  const out: ThinkingReplay = {};
  if (typeof signature === 'string' && signature !== '') out.signature = signature;
  if (Array.isArray(redacted)) out.redacted_thinking = redacted.filter((d): d is string => typeof d === 'string');
  return out;
}

/** `{[family]: replay}` for a message or delta, or undefined when there is nothing to replay. */
export function thinkingReplayData(family: string, replay: ThinkingReplay): Record<string, unknown> | undefined {
  const data: ThinkingReplay = {};
  if (replay.signature) data.signature = replay.signature;
  if (replay.redacted_thinking && replay.redacted_thinking.length > 0) data.redacted_thinking = [...replay.redacted_thinking];
  return Object.keys(data).length > 0 ? { [family]: data } : undefined;
}
