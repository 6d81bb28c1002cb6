import type { Adapter } from '../adapter.js';
import { createGeminiEmbeddingsCodec } from './embeddings.js';
import { mapGeminiError } from './errors.js';
import { buildGeminiRequest } from './request.js';
import { parseGeminiResponse } from './response.js';
import { createGeminiDecoder } from './stream.js';

/**
 * The native Gemini generateContent adapter (CATALOG.md §4.1, Appendix A "Native adapters"):
 * function calls with thought signatures, safety blocks, thoughts, and batch embeddings.
 *
 * @example
 * const adapter = createGeminiAdapter();
 * const spec = adapter.chat.build(req, { provider, upstreamModel: 'gemini-2.5-flash' }, { stream: true });
 */
export function createGeminiAdapter(): Adapter {
  return {
    family: 'gemini',
    chat: {
      build: buildGeminiRequest,
      parse: parseGeminiResponse,
      decoder: createGeminiDecoder,
    },
    embeddings: createGeminiEmbeddingsCodec(),
    mapError: mapGeminiError,
  };
}

export { parseGeminiEmbeddings } from './embeddings.js';
export { estimateEmbeddingTokens } from '../embedding-inputs.js';
export { GEMINI_2_BUDGETS } from './generation-config.js';
