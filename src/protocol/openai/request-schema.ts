import { z } from 'zod';
import type { ChatRequest, CompletionRequest, EmbeddingsRequest, RerankRequest } from '../chat.js';
import { fastAccept, splitKnown as split, validateBody as validate } from '../validate-body.js';

/**
 * Edge validation of the OpenAI surface with zod: types and documented ranges are checked once
 * here (a 400 naming the parameter), unknown top-level fields are kept in `extra` and passed
 * through to upstreams (provider-specific fields such as `enable_thinking` or `top_k`).
 * Nothing is clamped or defaulted silently.
 */

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const otherPart = z.looseObject({ type: z.string() });
const contentPart = z.union([textPart, imagePart, otherPart]);

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
  reasoning_content: z.string().nullish(),
});

const functionTool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});
const tool = z.union([functionTool, z.looseObject({ type: z.string() })]);

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

const responseFormat = z.union([
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
      description: z.string().optional(),
    }),
  }),
]);

const positiveInt = z.number().int().positive();

const chatSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormat.optional(),
  reasoning_effort: z.string().optional(),
  user: z.string().optional(),
});

const CHAT_KNOWN = new Set(Object.keys(chatSchema.shape));
/** Chat bodies are the hot path: a compiled check lets valid ones skip zod (validate-body.ts). */
const acceptChat = fastAccept(chatSchema);

const tokenArrays = z.union([z.string(), z.array(z.string()), z.array(z.number().int()), z.array(z.array(z.number().int()))]);

const completionSchema = z.looseObject({
  model: z.string().min(1),
  prompt: tokenArrays,
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});

const embeddingsSchema = z.looseObject({
  model: z.string().min(1),
  input: tokenArrays.refine((v) => !(Array.isArray(v) && v.length === 0), 'must not be empty'),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: positiveInt.optional(),
  user: z.string().optional(),
});

const rerankSchema = z.looseObject({
  model: z.string().min(1),
  query: z.string().min(1),
  documents: z.array(z.union([z.string(), z.looseObject({ text: z.string() })])).min(1),
  top_n: positiveInt.optional(),
  return_documents: z.boolean().optional(),
});

/** For the differential test of the fast check against zod. */
export const chatBodyChecks = { schema: chatSchema, accept: acceptChat };

/**
 * The hot path's canonical request, built in one pass: known fields that are set (a `null` means
 * "vendor default" and is left out), the rest in `extra`. Messages are shared with the body, not
 * copied, unless one lacks `content` (canonically `null`); nothing downstream changes them.
 */
export function parseChatRequest(body: unknown): ChatRequest {
  const parsed = validate(chatSchema, body, acceptChat) as Record<string, unknown>;
  const { known: req, extra } = split(parsed, CHAT_KNOWN, { dropNullish: true });
  const messages = parsed.messages as ChatRequest['messages'];
  if (messages.some((m) => m.content === undefined)) req.messages = messages.map((m) => (m.content === undefined ? { ...m, content: null } : m));
  req.extra = extra;
  return req as unknown as ChatRequest;
}

export function parseCompletionRequest(body: unknown): CompletionRequest {
  const parsed = validate(completionSchema, body);
  const { extra, known } = split(parsed, new Set(Object.keys(completionSchema.shape)), { dropNullish: true });
  return { ...(known as Omit<CompletionRequest, 'extra'>), extra };
}

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  const parsed = validate(embeddingsSchema, body);
  const { extra, known } = split(parsed, new Set(Object.keys(embeddingsSchema.shape)));
  return { ...(known as Omit<EmbeddingsRequest, 'extra'>), extra };
}

export function parseRerankRequest(body: unknown): RerankRequest {
  const parsed = validate(rerankSchema, body);
  const { extra, known } = split(parsed, new Set(Object.keys(rerankSchema.shape)));
  return { ...(known as Omit<RerankRequest, 'extra'>), extra };
}
