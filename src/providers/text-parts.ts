import type { ChatMessage } from '../protocol/chat.js';
import { unsupported } from '../protocol/errors.js';

/**
 * The text pieces of a message whose native counterpart holds text only (Anthropic `system`,
 * Gemini `systemInstruction` and `functionResponse`: CATALOG.md §3, §4.1). An image or other part
 * there cannot be carried, so it is refused with a 400 naming it rather than dropped.
 */
export function textParts(content: ChatMessage['content'], param: string): string[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [content];
  return content.map((part, j) => {
    if (part.type === 'text' && typeof part.text === 'string') return part.text;
    throw unsupported(`${param}[${j}] of type '${part.type}' is not supported here; only text is.`, `${param}[${j}]`);
  });
}
