import type { CacheControl, ChatMessage } from '../protocol/chat.js';
import { cacheControlOf } from '../protocol/cache-control.js';
import { invalidRequest } from '../protocol/errors.js';
import { textParts } from './text-parts.js';

/**
 * OpenAI messages → a native format's system text plus strictly alternating turns, the skeleton
 * both native chat formats share (CATALOG.md §3, §4.1):
 *  - neither has a system role: every system/developer message, wherever it sits, is hoisted into
 *    the returned `system` texts (empty ones dropped), for the top-level `system` /
 *    `systemInstruction`;
 *  - each other message is converted by the adapter's function for its role, and a turn whose
 *    wire role repeats the previous one joins it. Anthropic merges or rejects consecutive
 *    same-role messages, Gemini wants every `functionResponse` of a parallel call in one turn,
 *    and OpenAI histories break that freely (several tool messages in a row, a user message after
 *    tool results).
 */
export interface Turn<Role extends string, Block> {
  role: Role;
  blocks: Block[];
}

export type TurnConverters<Role extends string, Block> = Record<
  'user' | 'assistant' | 'tool',
  (message: ChatMessage, param: string) => Turn<Role, Block>
>;

/** One system text, with the prompt-cache breakpoint its part carried (formats that have them use it). */
export interface SystemText {
  text: string;
  cache?: CacheControl;
}

export function toNativeTurns<Role extends string, Block>(
  messages: ChatMessage[],
  convert: TurnConverters<Role, Block>,
): { system: SystemText[]; turns: Turn<Role, Block>[] } {
  const system: SystemText[] = [];
  const turns: Turn<Role, Block>[] = [];
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    const role = message.role;
    if (role === 'system' || role === 'developer') {
      system.push(...systemTexts(message.content, `${param}.content`));
      return;
    }
    if (role !== 'user' && role !== 'assistant' && role !== 'tool') {
      throw invalidRequest(`${param}.role '${String(role)}' is not supported.`, `${param}.role`);
    }
    const turn = convert[role](message, param);
    const last = turns[turns.length - 1];
    if (last && last.role === turn.role) last.blocks.push(...turn.blocks);
    else turns.push({ role: turn.role, blocks: [...turn.blocks] });
  });
  return { system, turns };
}

/** A system message's texts (empty ones dropped), each with its part's cache breakpoint. */
function systemTexts(content: ChatMessage['content'], param: string): SystemText[] {
  const texts = textParts(content, param);
  const out: SystemText[] = [];
  texts.forEach((text, j) => {
    if (text === '') return;
    const cache = Array.isArray(content) ? cacheControlOf((content[j] as { cache_control?: unknown } | undefined)?.cache_control) : undefined;
    out.push(cache ? { text, cache } : { text });
  });
  return out;
}
