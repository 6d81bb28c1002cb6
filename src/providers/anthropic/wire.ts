import { z } from 'zod';

/**
 * The parts of Anthropic's Messages wire format (CATALOG.md §3) that the response parser and the
 * stream decoder read. Loose by design: unknown fields are kept, optional ones are nullish, and a
 * content block of a type we do not know still parses (server-tool blocks, citations…).
 */

export const UsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof UsageSchema>;

export const BlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  input: z.unknown().optional(),
  thinking: z.string().nullish(),
  signature: z.string().nullish(),
  data: z.string().nullish(),
});
export type AnthropicBlock = z.infer<typeof BlockSchema>;

export const ErrorObjectSchema = z.looseObject({
  type: z.string().nullish(),
  message: z.string().nullish(),
});

export const MessageSchema = z.looseObject({
  type: z.string().nullish(),
  id: z.string().nullish(),
  model: z.string().nullish(),
  content: z.array(BlockSchema).nullish(),
  stop_reason: z.string().nullish(),
  usage: UsageSchema.nullish(),
  error: ErrorObjectSchema.nullish(),
});

/** One SSE `data:` payload; Anthropic names the event both in `event:` and in `type`. */
export const StreamEventSchema = z.looseObject({
  type: z.string().nullish(),
  index: z.number().nullish(),
  message: MessageSchema.nullish(),
  content_block: BlockSchema.nullish(),
  delta: z
    .looseObject({
      type: z.string().nullish(),
      text: z.string().nullish(),
      partial_json: z.string().nullish(),
      thinking: z.string().nullish(),
      signature: z.string().nullish(),
      stop_reason: z.string().nullish(),
    })
    .nullish(),
  usage: UsageSchema.nullish(),
  error: ErrorObjectSchema.nullish(),
});
export type AnthropicStreamEvent = z.infer<typeof StreamEventSchema>;

export const ErrorBodySchema = z.looseObject({
  type: z.string().nullish(),
  error: ErrorObjectSchema.nullish(),
});
