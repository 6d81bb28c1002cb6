import type { ChatMessage } from '../../protocol/chat.js';
import type { Hit } from '../views.js';

/**
 * Grounding a chat in retrieved chunks: the chunks go into one system message as numbered
 * sources, and the model is told to cite them as [n]. Citations returned to the client carry the
 * same numbers, so `[2]` in the answer maps to `citations[1]` (index 2) with its document, page,
 * heading path and offsets.
 */

export interface Citation extends Hit {
  index: number;
}

const INSTRUCTIONS = [
  'Answer the user using the numbered sources below when they are relevant.',
  'Cite every statement that relies on a source with its number in square brackets, e.g. [1] or [2][3].',
  'If the sources do not contain the answer, say so plainly instead of guessing.',
  'Answer in the language of the user\'s question.',
].join(' ');

export function citationsOf(hits: readonly Hit[]): Citation[] {
  return hits.map((h, i) => ({ index: i + 1, ...h }));
}

export function groundingMessage(citations: readonly Citation[]): ChatMessage {
  const sources = citations
    .map((c) => {
      const where = [c.document_name, c.citation.page ? `p. ${c.citation.page}` : '', c.citation.heading_path.join(' > ')].filter(Boolean).join(' · ');
      return `[${c.index}] (${where})\n${c.text}`;
    })
    .join('\n\n');
  return { role: 'system', content: `${INSTRUCTIONS}\n\nSources:\n\n${sources || '(no relevant sources were found)'}` };
}

/** The conversation with the grounding message placed after the caller's own system messages. */
export function groundedMessages(messages: readonly ChatMessage[], citations: readonly Citation[]): ChatMessage[] {
  let at = 0;
  while (at < messages.length && (messages[at]!.role === 'system' || messages[at]!.role === 'developer')) at++;
  return [...messages.slice(0, at), groundingMessage(citations), ...messages.slice(at)];
}

/** What to search for: the text of the last user message. */
export function queryOf(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      const text = m.content.map((p) => (p.type === 'text' ? p.text : '')).filter(Boolean).join('\n');
      if (text) return text;
    }
  }
  return undefined;
}
