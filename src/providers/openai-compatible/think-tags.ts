/**
 * MiniMax M2 models put their chain of thought inline as `<think>…</think>` at the start of
 * `content` (CATALOG.md §13). This splits it out so clients see it as `reasoning_content`.
 * Only a tag that opens the content (after whitespace) counts: a `<think>` later in an answer
 * is the answer's text. Tags may be cut anywhere across stream chunks, so the splitter holds back
 * any tail that could still become a tag.
 */

const OPEN = '<think>';
const CLOSE = '</think>';

export interface ThinkSplit {
  content: string;
  reasoning: string;
}

export interface ThinkTagSplitter {
  push(text: string): ThinkSplit;
  /** End of the choice: release whatever was held back. */
  flush(): ThinkSplit;
}

type Mode = 'before' | 'thinking' | 'answer';

export function createThinkTagSplitter(): ThinkTagSplitter {
  let mode: Mode = 'before';
  let held = '';
  // The blank lines between `</think>` and the answer separate the two parts; they are not answer text.
  let trimAnswerStart = false;

  const answer = (text: string): string => {
    if (!trimAnswerStart) return text;
    const trimmed = text.replace(/^\s+/, '');
    if (trimmed.length > 0) trimAnswerStart = false;
    return trimmed;
  };

  const step = (): ThinkSplit => {
    const out: ThinkSplit = { content: '', reasoning: '' };
    if (mode === 'before') {
      const lead = held.trimStart();
      if (lead.startsWith(OPEN)) {
        mode = 'thinking';
        held = lead.slice(OPEN.length);
      } else if (OPEN.startsWith(lead)) {
        return out; // whitespace or a partial `<think` so far
      } else {
        mode = 'answer';
        out.content = held;
        held = '';
        return out;
      }
    }
    if (mode === 'thinking') {
      const end = held.indexOf(CLOSE);
      if (end < 0) {
        const keep = partialSuffix(held, CLOSE);
        out.reasoning = held.slice(0, held.length - keep);
        held = held.slice(held.length - keep);
        return out;
      }
      out.reasoning = held.slice(0, end);
      held = held.slice(end + CLOSE.length);
      mode = 'answer';
      trimAnswerStart = true;
    }
    out.content += answer(held);
    held = '';
    return out;
  };

  return {
    push(text) {
      held += text;
      return step();
    },
    flush() {
      const out: ThinkSplit = { content: '', reasoning: '' };
      if (mode === 'thinking') out.reasoning = held;
      else out.content = answer(held);
      held = '';
      return out;
    },
  };
}

/** Splits a whole (non-stream) content string. */
export function splitThinkTags(text: string): ThinkSplit {
  const splitter = createThinkTagSplitter();
  const first = splitter.push(text);
  const rest = splitter.flush();
  return { content: first.content + rest.content, reasoning: first.reasoning + rest.reasoning };
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (tag.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}
