import type { CacheControl, ChatMessage } from '../../protocol/chat.js';
import { toContentBlocks, type BlockBuilders } from '../content-blocks.js';
import { toNativeTurns } from '../native-turns.js';
import { answeredToolCallId, toolCallInputs } from '../tool-history.js';
import { readReplay } from './replay-data.js';

/**
 * OpenAI messages → Anthropic `system` + `messages` (CATALOG.md §3), on the shared skeleton of
 * `toNativeTurns` (system hoisted, same-role turns merged):
 *  - `system` is a string for one text, text blocks for several, so boundaries survive;
 *  - tool results are `tool_result` blocks inside a user turn, so parallel tool results (and a
 *    user message after them) become one user turn;
 *  - assistant tool calls are `tool_use` blocks whose `input` is an object, not a JSON string;
 *  - a signed thinking block is replayed first in its assistant turn, as Anthropic requires;
 *  - images are `base64` sources (data: URLs) or `url` sources.
 */

type WireBlock = Record<string, unknown>;
type WireRole = 'user' | 'assistant';

export interface AnthropicMessages {
  system?: string | { type: 'text'; text: string; cache_control?: CacheControl }[];
  messages: { role: WireRole; content: WireBlock[] }[];
}

export function convertMessages(messages: ChatMessage[]): AnthropicMessages {
  const { system, turns } = toNativeTurns<WireRole, WireBlock>(messages, {
    user: (message, param) => ({ role: 'user', blocks: contentBlocks(message.content, `${param}.content`) }),
    assistant: (message, param) => ({ role: 'assistant', blocks: assistantBlocks(message, param) }),
    tool: (message, param) => ({ role: 'user', blocks: [toolResultBlock(message, param)] }),
  });
  const out: AnthropicMessages = { messages: turns.map((t) => ({ role: t.role, content: t.blocks })) };
  // One plain text as a string; several, or any with a cache breakpoint, as text blocks.
  if (system.length === 1 && !system[0]!.cache) out.system = system[0]!.text;
  else if (system.length > 0) out.system = system.map(({ text, cache }) => ({ type: 'text' as const, text, ...(cache ? { cache_control: cache } : {}) }));
  return out;
}

function assistantBlocks(message: ChatMessage, param: string): WireBlock[] {
  const blocks: WireBlock[] = [];
  const replay = readReplay(message.provider_data);
  // Unsigned reasoning (from another provider, or a client that dropped provider_data) cannot
  // be replayed: Anthropic validates the signature, so it is left out rather than forged.
  if (message.reasoning_content && replay.signature) {
    blocks.push({ type: 'thinking', thinking: message.reasoning_content, signature: replay.signature });
  }
  for (const data of replay.redacted_thinking ?? []) blocks.push({ type: 'redacted_thinking', data });
  blocks.push(...contentBlocks(message.content, `${param}.content`));
  for (const call of toolCallInputs(message, param)) blocks.push({ type: 'tool_use', ...call });
  return blocks;
}

function toolResultBlock(message: ChatMessage, param: string): WireBlock {
  const toolUseId = answeredToolCallId(message, param);
  const content = typeof message.content === 'string' || message.content === null
    ? (message.content ?? '')
    : contentBlocks(message.content, `${param}.content`);
  return { type: 'tool_result', tool_use_id: toolUseId, content };
}

const BLOCKS: BlockBuilders<WireBlock> = {
  text: (text) => ({ type: 'text', text }),
  cached: (block, cache) => [{ ...block, cache_control: cache }],
  image: (source) => ({
    type: 'image',
    source:
      source.kind === 'inline'
        ? { type: 'base64', media_type: source.mediaType, data: source.data }
        : { type: 'url', url: source.url },
  }),
};

function contentBlocks(content: ChatMessage['content'], param: string): WireBlock[] {
  return toContentBlocks(content, param, BLOCKS);
}
