const SCRIPT_CHAR = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
/** One CJK character | one run of word characters | one other visible symbol. */
export const TOKEN_ATOM = new RegExp(`([${SCRIPT_CHAR}])|([^\\s\\p{P}\\p{S}${SCRIPT_CHAR}]+)|(\\S)`, 'gu');

/**
 * A tokenizer-free estimate, close enough to BPE vocabularies (cl100k, Qwen) to size chunks:
 * each CJK character counts 1, each Latin/number word 1.3 (rounded up over the whole text),
 * each punctuation mark or symbol 1. Whitespace is free. Measuring with a real tokenizer is
 * left to the embedding model; this only has to keep chunks under its limit with margin.
 */
export function countTokens(text: string): number {
  let single = 0;
  let words = 0;
  for (const m of text.matchAll(TOKEN_ATOM)) {
    if (m[2] !== undefined) words++;
    else single++;
  }
  return single + Math.ceil(words * 1.3);
}

/**
 * Cuts `text` into pieces of at most `maxTokens` at atom boundaries (never inside a word or a
 * CJK character). The last resort for a sentence longer than a whole chunk.
 * Returns [start, end) offsets into `text`.
 */
export function splitByTokens(text: string, maxTokens: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let start = -1;
  let end = 0;
  let single = 0;
  let words = 0;
  for (const m of text.matchAll(TOKEN_ATOM)) {
    const isWord = m[2] !== undefined;
    const next = single + (isWord ? 0 : 1) + Math.ceil((words + (isWord ? 1 : 0)) * 1.3);
    if (start >= 0 && next > maxTokens) {
      pieces.push([start, end]);
      start = -1;
      single = 0;
      words = 0;
    }
    if (start < 0) start = m.index;
    if (isWord) words++;
    else single++;
    end = m.index + m[0].length;
  }
  if (start >= 0) pieces.push([start, end]);
  return pieces;
}
