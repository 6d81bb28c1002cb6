import type { EmbeddingsRequest } from '../protocol/chat.js';
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
