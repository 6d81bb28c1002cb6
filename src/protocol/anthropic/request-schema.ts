import { z } from 'zod';
import type { ChatRequest } from '../chat.js';
import type { BaimoError } from '../errors.js';
import { splitKnown, validateBody } from '../validate-body.js';
import { toChatRequest } from './to-chat.js';

/**
 * Edge validation of the Anthropic Messages surface (CATALOG.md §3) with zod. Types and documented
 * ranges are checked once here, and a problem is a 400 whose message names the parameter. Unknown
 * fields are kept everywhere (loose objects), and so are content-block and tool types this schema
 * does not know: a deployment that speaks Messages receives the client's body as given.
 */

/** Checks a value against the schema registered for its `type` (or `fallback` when it has none); other types pass as given. */
function checkByType(schemas: () => Record<string, z.ZodType>, fallback?: string) {
  return (value: { type?: string }, ctx: z.RefinementCtx) => {
    const schema = schemas()[value.type ?? fallback ?? ''];
    if (!schema) return;
    const result = schema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: issue.path });
  };
}

const nonEmpty = z.string().min(1);

export const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
export const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('base64'), media_type: nonEmpty, data: nonEmpty }),
    z.looseObject({ type: z.literal('url'), url: nonEmpty }),
    z.looseObject({ type: z.literal('file'), file_id: nonEmpty }),
  ]),
});
export const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: nonEmpty,
  name: nonEmpty,
  input: z.record(z.string(), z.unknown()),
});
/** Thinking blocks from non-Anthropic models carry no signature (see encode.ts), so it may be empty. */
export const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
export const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: nonEmpty });

const contentBlock = z.looseObject({ type: z.string().min(1) }).superRefine(checkByType(() => BLOCKS));
export const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: nonEmpty,
  content: z.union([z.string(), z.array(contentBlock)]).optional(),
  is_error: z.boolean().optional(),
});
const BLOCKS = {
  text: textBlock,
  image: imageBlock,
  tool_use: toolUseBlock,
  tool_result: toolResultBlock,
  thinking: thinkingBlock,
  redacted_thinking: redactedThinkingBlock,
};

export type ContentBlock = z.infer<typeof contentBlock>;
export type TextBlock = z.infer<typeof textBlock>;
export type ImageBlock = z.infer<typeof imageBlock>;
export type ToolUseBlock = z.infer<typeof toolUseBlock>;
export type ToolResultBlock = z.infer<typeof toolResultBlock>;
export type ThinkingBlock = z.infer<typeof thinkingBlock>;
export type RedactedThinkingBlock = z.infer<typeof redactedThinkingBlock>;

const message = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

/** A tool without `type` (or `custom`) is a client tool with a schema; any other type is a server tool, kept as given. */
export const customTool = z.looseObject({
  type: z.literal('custom').optional(),
  name: nonEmpty,
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
});
const tool = z.looseObject({ type: z.string().min(1).optional() }).superRefine(checkByType(() => ({ custom: customTool }), 'custom'));
export type CustomTool = z.infer<typeof customTool>;

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: nonEmpty, disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
]);

/** §3: `enabled` takes a budget of at least 1024 tokens; `adaptive` and `disabled` take none. */
const thinking = z
  .looseObject({ type: nonEmpty, budget_tokens: z.number().int().min(1024).optional() })
  .refine((t) => t.type !== 'enabled' || t.budget_tokens !== undefined, { path: ['budget_tokens'], message: 'Field required' });

const messagesShape = {
  model: nonEmpty,
  max_tokens: z.number().int().positive(),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  output_config: z
    .looseObject({
      effort: z.string().nullish(),
      format: z.looseObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish(),
    })
    .optional(),
};

const messagesSchema = z.looseObject(messagesShape);
/** count_tokens takes the same body without the generation fields (`max_tokens` is not required). */
const countTokensSchema = z.looseObject({ ...messagesShape, max_tokens: messagesShape.max_tokens.optional() });

export type MessagesBody = z.infer<typeof countTokensSchema>;
const MESSAGES_FIELDS = new Set(Object.keys(messagesShape));

/**
 * One validated Messages request, in the two forms the router needs: the client's body, sent as
 * given to deployments that speak Messages, and its canonical translation for every other
 * deployment. What the canonical form cannot carry is not refused here (an Anthropic deployment
 * can serve it) but recorded in `untranslatable`, the 400 a translated attempt answers with.
 */
export interface MessagesRequest {
  body: Record<string, unknown>;
  chat: ChatRequest;
  /** The client's `anthropic-beta` header; only a deployment that speaks Messages receives it. */
  betas?: string;
  untranslatable?: BaimoError;
}

export function parseMessagesRequest(body: unknown): MessagesRequest {
  return withTranslation(body, validateBody(messagesSchema, body));
}

export function parseCountTokensRequest(body: unknown): MessagesRequest {
  return withTranslation(body, validateBody(countTokensSchema, body));
}

function withTranslation(body: unknown, parsed: MessagesBody): MessagesRequest {
  const { known, extra } = splitKnown(parsed, MESSAGES_FIELDS);
  const { chat, untranslatable } = toChatRequest(known as MessagesBody, extra);
  return { body: body as Record<string, unknown>, chat, ...(untranslatable ? { untranslatable } : {}) };
}
