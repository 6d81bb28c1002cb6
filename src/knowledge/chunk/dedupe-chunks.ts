import { createHash } from 'node:crypto';
import type { Chunk } from './types.js';

/**
 * Normalisation for duplicate detection: NFKC folds full-width/half-width variants and
 * whitespace runs collapse, so re-exported copies of the same passage hash alike.
 */
export function hashChunkText(text: string): string {
  const normalised = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normalised).digest('hex');
}

/** Keeps the first chunk of each hash, in order. Works within a document or across a whole upload. */
export function dedupeChunks<T extends Pick<Chunk, 'hash'>>(chunks: T[]): T[] {
  const seen = new Set<string>();
  return chunks.filter((c) => (seen.has(c.hash) ? false : (seen.add(c.hash), true)));
}
