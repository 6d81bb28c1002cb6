export type { Chunk, ChunkOptions } from './types.js';
export { chunkDocument } from './chunk-document.js';
export { countTokens, splitByTokens } from './count-tokens.js';
export { dedupeChunks, hashChunkText } from './dedupe-chunks.js';
export { splitSentences } from './split-sentences.js';
