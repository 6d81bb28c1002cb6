import { z } from 'zod';

/**
 * The parts of Gemini's generateContent wire format (CATALOG.md §4.1) that the parser, the
 * stream decoder and the error mapper read. Loose by design: unknown fields are kept, optional
 * ones are nullish, and a part of a kind we do not carry (inlineData output, executableCode…)
 * still parses.
 */

export const PartSchema = z.looseObject({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  thoughtSignature: z.string().nullish(),
  functionCall: z
    .looseObject({
      name: z.string().nullish(),
      args: z.record(z.string(), z.unknown()).nullish(),
      id: z.string().nullish(),
    })
    .nullish(),
});
export type GeminiPart = z.infer<typeof PartSchema>;

export const CandidateSchema = z.looseObject({
  content: z.looseObject({ role: z.string().nullish(), parts: z.array(PartSchema).nullish() }).nullish(),
  finishReason: z.string().nullish(),
  index: z.number().nullish(),
});
export type GeminiCandidate = z.infer<typeof CandidateSchema>;

export const UsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().nullish(),
  candidatesTokenCount: z.number().nullish(),
  totalTokenCount: z.number().nullish(),
  thoughtsTokenCount: z.number().nullish(),
  cachedContentTokenCount: z.number().nullish(),
  toolUsePromptTokenCount: z.number().nullish(),
});
export type GeminiUsageMetadata = z.infer<typeof UsageMetadataSchema>;

export const ErrorObjectSchema = z.looseObject({
  code: z.number().nullish(),
  message: z.string().nullish(),
  status: z.string().nullish(),
  details: z
    .array(z.looseObject({ '@type': z.string().nullish(), reason: z.string().nullish(), retryDelay: z.unknown().optional() }))
    .nullish(),
});
export type GeminiErrorObject = z.infer<typeof ErrorObjectSchema>;

export const ResponseSchema = z.looseObject({
  candidates: z.array(CandidateSchema).nullish(),
  promptFeedback: z.looseObject({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: UsageMetadataSchema.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
  /** Only on a failure inside a stream that already answered 200. */
  error: ErrorObjectSchema.nullish(),
});
export type GeminiResponse = z.infer<typeof ResponseSchema>;

export const EmbeddingsResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
  usageMetadata: z.looseObject({ promptTokenCount: z.number().nullish() }).nullish(),
});
