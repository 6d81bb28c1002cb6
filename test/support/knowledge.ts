import { createHash } from 'node:crypto';

/**
 * A deterministic stand-in for an embedding model: a hashed bag of words (English words, and
 * Chinese characters and character bigrams) normalised to unit length. Texts sharing words are
 * close, so retrieval behaves like retrieval, yet nothing needs a real model.
 */
export function bagOfWords(text: string, dims = 64): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const term of termsOf(text)) {
    const h = createHash('md5').update(term).digest();
    v[h.readUInt16LE(0) % dims]! += h[2]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export function termsOf(text: string): string[] {
  const lower = text.toLowerCase();
  const words = lower.match(/[a-z0-9]+/g) ?? [];
  const han = [...lower.matchAll(/\p{Script=Han}+/gu)].flatMap(([run]) => {
    const chars = [...run];
    return [...chars, ...chars.slice(1).map((c, i) => chars[i] + c)];
  });
  return [...words.filter((w) => w.length > 2), ...han];
}

/** Rerank stand-in: the share of the query's terms the document contains. */
export function overlapScore(query: string, doc: string): number {
  const q = new Set(termsOf(query));
  const d = new Set(termsOf(doc));
  let hit = 0;
  for (const t of q) if (d.has(t)) hit++;
  return q.size ? hit / q.size : 0;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
