import { z } from 'zod';

/**
 * The parts of Bedrock Converse's wire format (CATALOG.md §5) that the response parser and the
 * stream decoder read. Loose by design: unknown fields are kept (stream payloads carry a `p`
 * padding field), optional ones are nullish, and a content block of a kind we do not know
 * (document, guardContent, citations…) still parses.
 */

export const UsageSchema = z.looseObject({
  inputTokens: z.number().nullish(),
  outputTokens: z.number().nullish(),
  totalTokens: z.number().nullish(),
  cacheReadInputTokens: z.number().nullish(),
  cacheWriteInputTokens: z.number().nullish(),
});
export type BedrockUsage = z.infer<typeof UsageSchema>;

const ReasoningSchema = z.looseObject({
  reasoningText: z.looseObject({ text: z.string().nullish(), signature: z.string().nullish() }).nullish(),
  /** Base64 of the encrypted reasoning bytes. */
  redactedContent: z.string().nullish(),
});

export const BlockSchema = z.looseObject({
  text: z.string().nullish(),
  toolUse: z
    .looseObject({ toolUseId: z.string().nullish(), name: z.string().nullish(), input: z.unknown().optional() })
    .nullish(),
  reasoningContent: ReasoningSchema.nullish(),
});
export type BedrockBlock = z.infer<typeof BlockSchema>;

export const ConverseResponseSchema = z.looseObject({
  output: z
    .looseObject({
      message: z.looseObject({ role: z.string().nullish(), content: z.array(BlockSchema).nullish() }).nullish(),
    })
    .nullish(),
  stopReason: z.string().nullish(),
  usage: UsageSchema.nullish(),
});

/** One event-stream payload; which fields are set depends on its `:event-type`. */
export const StreamEventSchema = z.looseObject({
  role: z.string().nullish(),
  contentBlockIndex: z.number().nullish(),
  start: z
    .looseObject({ toolUse: z.looseObject({ toolUseId: z.string().nullish(), name: z.string().nullish() }).nullish() })
    .nullish(),
  delta: z
    .looseObject({
      text: z.string().nullish(),
      toolUse: z.looseObject({ input: z.string().nullish() }).nullish(),
      reasoningContent: z
        .looseObject({ text: z.string().nullish(), signature: z.string().nullish(), redactedContent: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  stopReason: z.string().nullish(),
  usage: UsageSchema.nullish(),
});
export type BedrockStreamEvent = z.infer<typeof StreamEventSchema>;

/** Error bodies are `{"message": …}`; some AWS front ends spell it `Message`. */
export const ErrorBodySchema = z.looseObject({
  message: z.string().nullish(),
  Message: z.string().nullish(),
});

const Vectors = z.array(z.array(z.number()));

/**
 * InvokeModel answers of the embedding models (CATALOG.md §5), told apart by shape: Titan
 * `{embedding, inputTextTokenCount}`; Cohere `{id, embeddings, texts, response_type}` with
 * `embeddings` a list of vectors, or `{float: [...]}` when `embedding_types` was sent.
 */
export const InvokeEmbeddingsSchema = z.looseObject({
  embedding: z.array(z.number()).nullish(),
  inputTextTokenCount: z.number().nullish(),
  embeddings: z.union([Vectors, z.looseObject({ float: Vectors.nullish() })]).nullish(),
});
export type InvokeEmbeddings = z.infer<typeof InvokeEmbeddingsSchema>;

/**
 * The Agent Runtime's Rerank answer (CATALOG.md §5; AWS API reference `Rerank`):
 * `{results: [{index, relevanceScore, document?: {type, textDocument?: {text}, jsonDocument?}}], nextToken?}`,
 * most relevant first. `index` is the position of the source in the request.
 */
export const RerankResponseSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      index: z.number().int().nonnegative(),
      relevanceScore: z.number(),
      document: z.looseObject({ textDocument: z.looseObject({ text: z.string().nullish() }).nullish() }).nullish(),
    }),
  ),
  nextToken: z.string().nullish(),
});
export type BedrockRerankResponse = z.infer<typeof RerankResponseSchema>;
