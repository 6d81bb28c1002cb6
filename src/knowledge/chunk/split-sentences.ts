// Chinese/Japanese enders need no following space; ASCII enders need whitespace after them so
// "3.14", "e.g.x" and URLs are not cut. Closing quotes and brackets stay with their sentence.
const ENDER = /(?:[。！？；．!?]|[.](?=\s)|…+|\.{3})[”’」』）)\]"'》]*|\n+/gu;

/**
 * Sentence spans of `text` as [start, end) offsets, trimmed of surrounding whitespace. A line
 * break also ends a sentence, because lines in lists, tables and PDF text are units of meaning.
 */
export function splitSentences(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from = 0;
  const push = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) spans.push([start, end]);
  };
  for (const m of text.matchAll(ENDER)) {
    const end = m.index + m[0].length;
    // ASCII '?' and '!' also need a following space (or the end) to count.
    if (/^[!?]/.test(m[0]) && end < text.length && !/\s/.test(text[end]!)) continue;
    push(from, end);
    from = end;
  }
  push(from, text.length);
  return spans;
}
