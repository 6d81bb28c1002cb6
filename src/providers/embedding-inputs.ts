import type { EmbeddingsRequest, RerankRequest, RerankResponse } from '../protocol/chat.js';
import { unsupported } from '../protocol/errors.js';
import { markEstimated } from './estimated-usage.js';

/**
 * The texts of an embeddings request, for native adapters whose upstream takes text only (Gemini
 * §4.1, Bedrock InvokeModel §5): token-id inputs have no form there and are refused, naming the
 * offending input.
 */
export function embeddingTextInputs(req: EmbeddingsRequest): string[] {
  const inputs: unknown[] = Array.isArray(req.input) ? req.input : [req.input];
  return inputs.map((input, i) => {
    if (typeof input !== 'string') {
      throw unsupported('input as token ids is not supported by this model; send text.', Array.isArray(req.input) ? `input[${i}]` : 'input');
    }
    return input;
  });
}

/**
 * Token usage for an upstream that reports none (Gemini, Cohere on Bedrock): unknown is not zero
 * (STYLE.md), so it is estimated as ⌈characters / 4⌉ over all inputs, a common rule of thumb for
 * English text.
 */
export function estimateEmbeddingTokens(inputs: string[]): number {
  return Math.ceil(inputs.reduce((sum, text) => sum + text.length, 0) / 4);
}

/**
 * An embeddings answer's usage: the upstream's count when it reported one, else the estimate over
 * `texts`, marked as such so metering flags the event (estimated-usage.ts); 0 without either.
 */
export function embeddingUsage(reported: number | undefined, texts: string[] | undefined): { prompt_tokens: number; total_tokens: number } {
  if (reported !== undefined) return { prompt_tokens: reported, total_tokens: reported };
  const tokens = texts ? estimateEmbeddingTokens(texts) : 0;
  return markEstimated({ prompt_tokens: tokens, total_tokens: tokens });
}

/** A rerank request's documents as text. */
export function rerankDocumentTexts(req: RerankRequest): string[] {
  return req.documents.map((doc) => (typeof doc === 'string' ? doc : doc.text));
}

/**
 * Usage of a rerank whose upstream reported none (Bedrock always; some OpenAI-compatible
 * engines). A reranker reads the query beside each document, so the estimate is ⌈characters / 4⌉
 * over every (query + document) pair, marked estimated for metering; 0, still marked, when the
 * request is not at hand.
 */
export function estimatedRerankUsage(req: RerankRequest | undefined): RerankResponse['usage'] {
  const tokens = req ? estimateEmbeddingTokens(rerankDocumentTexts(req).map((doc) => req.query + doc)) : 0;
  return markEstimated({ total_tokens: tokens, prompt_tokens: tokens });
}
