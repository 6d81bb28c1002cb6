/**
 * Canonical chat types. They follow the OpenAI Chat Completions wire shape (CATALOG.md §1.2),
 * the reference format most upstreams speak, with two Baimo additions:
 *  - `reasoning_content` carries reasoning text from any provider (DeepSeek, vLLM `reasoning`,
 *    Anthropic thinking, Gemini thoughts) on messages and deltas;
 *  - `extra` holds unknown top-level request fields, passed through to upstreams that accept them.
 * Adapters map these to and from their wire formats; surface codecs map them to clients.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/**
 * A prompt-cache breakpoint on a text part or a tool (Anthropic's `cache_control`, CATALOG.md §3;
 * the same field OpenAI-format gateways accept): the prompt up to and including it may be cached.
 * Carried to Anthropic (`cache_control`) and Bedrock (`cachePoint`) deployments; dropped for others.
 */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextPart {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}
export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}
/** Audio, file and other parts are carried verbatim for upstreams that accept them. */
export interface OtherPart {
  type: string;
  [key: string]: unknown;
}
export type ContentPart = TextPart | ImagePart | OtherPart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Opaque per-call data some providers need replayed (Gemini thought signatures). */
  provider_data?: Record<string, unknown>;
}

export interface ChatMessage {
  role: Role;
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  reasoning_content?: string | null;
  /** Anthropic thinking signatures and similar replay data, keyed by provider family. */
  provider_data?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
  /** Cache the prompt up to and including the tool definitions so far (see CacheControl). */
  cache_control?: CacheControl;
}
export type Tool = FunctionTool | { type: string; [key: string]: unknown };

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null; description?: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [key: string]: unknown } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  tools?: Tool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  reasoning_effort?: string;
  user?: string;
  /** Unknown provider-specific fields (e.g. `enable_thinking`, `top_k`), forwarded as given. */
  extra: Record<string, unknown>;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call' | (string & {});

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; [key: string]: unknown };
  completion_tokens_details?: { reasoning_tokens?: number; [key: string]: unknown };
}

export interface ChatChoice {
  index: number;
  message: ChatMessage;
  finish_reason: FinishReason | null;
  logprobs?: unknown;
}

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
}

export interface CompletionRequest {
  model: string;
  prompt: string | string[] | number[] | number[][];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  extra: Record<string, unknown>;
}

export interface EmbeddingsRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  extra: Record<string, unknown>;
}

export interface EmbeddingsResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface RerankRequest {
  model: string;
  query: string;
  documents: (string | { text: string })[];
  top_n?: number;
  return_documents?: boolean;
  extra: Record<string, unknown>;
}

export interface RerankResponse {
  id: string;
  model: string;
  results: { index: number; relevance_score: number; document?: { text: string } }[];
  usage: { total_tokens: number; prompt_tokens?: number };
}
