export interface ChunkOptions {
  /** Upper bound per chunk, in `countTokens` units. */
  maxTokens: number;
  /** How much trailing text (whole sentences) of a chunk is repeated at the start of the next. */
  overlapTokens: number;
  /** Where the document came from (file name or URL); copied to every chunk for citations. */
  source: string;
}

export interface Chunk {
  /** Exactly `doc.text.slice(start, end)`: overlap is expressed by ranges, never by copies. */
  text: string;
  tokens: number;
  start: number;
  end: number;
  /** Page of the chunk's first block (PDF only). */
  page?: number;
  /** Enclosing headings, outermost first. */
  headingPath: string[];
  source: string;
  /** SHA-256 (hex) of the normalised text; equal hashes mean duplicate content. */
  hash: string;
}
