import type { ChatMessage } from '../../protocol/chat.js';
import { invalidRequest } from '../../protocol/errors.js';
import { toContentBlocks, type BlockBuilders } from '../content-blocks.js';
import { toNativeTurns } from '../native-turns.js';
import { answeredToolCallId, toolCallInputs } from '../tool-history.js';
import { readThinkingReplay } from '../thinking-replay.js';

/**
 * OpenAI messages → Converse `system` + `messages` (CATALOG.md §5), on the shared skeleton of
 * `toNativeTurns` (system hoisted into `system: [{text}]`, same-role turns merged, as Converse
 * requires alternating user/assistant turns):
 *  - tool results are `toolResult` blocks inside a user turn, so parallel tool results (and a user
 *    message after them) become one user turn;
 *  - assistant tool calls are `toolUse` blocks whose `input` is an object, not a JSON string;
 *  - signed reasoning (Claude thinking) is replayed first in its assistant turn as a
 *    `reasoningContent` block, with redacted reasoning after it; unsigned reasoning cannot be
 *    replayed (the signature is validated) and is left out;
 *  - images are `{image:{format, source:{bytes}}}` with the base64 of a data: URL. Converse takes
 *    no http(s) image URLs (only S3 locations), so those are refused with a pointer to data: URLs.
 */

type WireBlock = Record<string, unknown>;
type WireRole = 'user' | 'assistant';

export interface ConverseMessages {
  system?: WireBlock[];
  messages: { role: WireRole; content: WireBlock[] }[];
}

/** Replay data lives under `provider_data.bedrock` (thinking-replay.ts). */
export const REPLAY_FAMILY = 'bedrock';

export function convertMessages(messages: ChatMessage[]): ConverseMessages {
  const { system, turns } = toNativeTurns<WireRole, WireBlock>(messages, {
    user: (message, param) => ({ role: 'user', blocks: contentBlocks(message.content, `${param}.content`) }),
    assistant: (message, param) => ({ role: 'assistant', blocks: assistantBlocks(message, param) }),
    tool: (message, param) => ({ role: 'user', blocks: [toolResultBlock(message, param)] }),
  });
  const out: ConverseMessages = { messages: turns.map((t) => ({ role: t.role, content: t.blocks })) };
  if (system.length > 0) out.system = system.flatMap(({ text, cache }) => (cache ? [{ text }, CACHE_POINT] : [{ text }]));
  return out;
}

/** True when the history holds tool blocks, which Converse accepts only with a `toolConfig`. */
export function hasToolBlocks(messages: ChatMessage[]): boolean {
  return messages.some((m) => m.role === 'tool' || (m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0));
}

function assistantBlocks(message: ChatMessage, param: string): WireBlock[] {
  const blocks: WireBlock[] = [];
  const replay = readThinkingReplay(message.provider_data, REPLAY_FAMILY);
  if (message.reasoning_content && replay.signature) {
    blocks.push({ reasoningContent: { reasoningText: { text: message.reasoning_content, signature: replay.signature } } });
  }
  for (const data of replay.redacted_thinking ?? []) blocks.push({ reasoningContent: { redactedContent: data } });
  blocks.push(...contentBlocks(message.content, `${param}.content`));
  for (const { id, name, input } of toolCallInputs(message, param)) blocks.push({ toolUse: { toolUseId: id, name, input } });
  return blocks;
}

function toolResultBlock(message: ChatMessage, param: string): WireBlock {
  return { toolResult: { toolUseId: answeredToolCallId(message, param), content: contentBlocks(message.content, `${param}.content`) } };
}

/** Converse image formats (CATALOG.md §5 `image.format`) by media type. */
const IMAGE_FORMATS: ReadonlyMap<string, string> = new Map([
  ['image/png', 'png'],
  ['image/jpeg', 'jpeg'],
  ['image/jpg', 'jpeg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
]);

/**
 * Converse marks a prompt-cache breakpoint with a block of its own after the cached content
 * (CATALOG.md §5 `cachePoint`); it has no TTL choice.
 */
export const CACHE_POINT: WireBlock = { cachePoint: { type: 'default' } };

const BLOCKS: BlockBuilders<WireBlock> = {
  text: (text) => ({ text }),
  cached: (block) => [block, CACHE_POINT],
  image: (source, param) => {
    if (source.kind === 'remote') {
      throw invalidRequest(`${param}: this model takes no image URLs; send the image as a base64 data: URL instead.`, param);
    }
    const format = IMAGE_FORMATS.get(source.mediaType);
    if (!format) {
      throw invalidRequest(`${param}: image type '${source.mediaType}' is not supported; use PNG, JPEG, GIF or WebP.`, param);
    }
    return { image: { format, source: { bytes: source.data } } };
  },
};

function contentBlocks(content: ChatMessage['content'], param: string): WireBlock[] {
  return toContentBlocks(content, param, BLOCKS);
}
