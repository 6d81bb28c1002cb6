import type { BaimoError } from '../protocol/errors.js';
import type {
  ChatRequest,
  ChatResponse,
  CompletionRequest,
  EmbeddingsRequest,
  EmbeddingsResponse,
  RerankRequest,
  RerankResponse,
} from '../protocol/chat.js';
import type { CompletionStreamEvent, StreamEvent } from '../protocol/stream-events.js';
import type { ProviderConfig } from '../config/types.js';

/**
 * The adapter contract: pure transforms between Baimo's canonical types and one wire format.
 * No adapter touches the network; `transport.ts` does, with the specs these functions build.
 */

/** Where one attempt goes: the provider (resolved secrets) and the upstream model id. */
export interface UpstreamTarget {
  provider: ProviderConfig;
  upstreamModel: string;
}

/** A fully built HTTP request; `body` is the exact bytes to send. */
export interface HttpRequestSpec {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * Headers that depend on the exact bytes and the moment of sending (AWS SigV4, CATALOG.md §5).
   * Transport calls it right before the request goes out and sends its headers on top of
   * `headers`; every attempt builds a new spec, so a retry is signed afresh.
   */
  sign?: RequestSigner;
}

export type RequestSigner = (spec: HttpRequestSpec) => Promise<Record<string, string>>;

/** What a response parser or stream decoder may need besides the body. */
export interface DecodeContext {
  /** Deterministic id source (tests inject one): `newId('chatcmpl')`. */
  newId: (prefix: string) => string;
  /** Unix seconds. */
  nowSeconds: () => number;
}

/** One parsed SSE message (from `sse.ts`). */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
}

/**
 * Per-stream state lives inside the decoder; one decoder per upstream attempt. `E` is what it
 * decodes into: canonical events for chat, OpenAI-shaped chunks for legacy completions.
 */
export interface StreamDecoder<E = StreamEvent> {
  /** Decode one upstream SSE message into zero or more events. */
  push(message: SseMessage): E[];
  /**
   * For upstreams whose stream is not SSE (AWS event-stream, CATALOG.md §5): when present, the raw
   * body chunks, cut anywhere, are given here as they arrive instead of to the SSE framer and `push`.
   */
  pushBytes?(chunk: Uint8Array): E[];
  /** Upstream body ended. Returns trailing events (e.g. an error when the stream was cut before its terminator). */
  end(): E[];
  /** True once the upstream's own terminator (`[DONE]`, `message_stop`, final chunk) was seen. */
  readonly done: boolean;
}

/** An upstream HTTP response that was not a success, given to `mapError`. */
export interface UpstreamFailure {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Body text, truncated by transport to a few KB. */
  body: string;
}

export interface ChatCodec {
  build(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): HttpRequestSpec;
  /** Parse a 2xx JSON body. Throws a BaimoError for errors reported inside a 200 (MiniMax `base_resp`, Spark `code`). */
  parse(json: unknown, ctx: DecodeContext): ChatResponse;
  decoder(ctx: DecodeContext): StreamDecoder;
}

export interface CompletionCodec {
  build(req: CompletionRequest, target: UpstreamTarget, opts: { stream: boolean }): HttpRequestSpec;
  /** Legacy completions are relayed in OpenAI's shape; the adapter only validates and rewrites the model. */
  parse(json: unknown, ctx: DecodeContext): Record<string, unknown>;
  /** Stream chunks (`object: "text_completion"`) are relayed in OpenAI's shape too, one by one. */
  decoder(ctx: DecodeContext): StreamDecoder<CompletionStreamEvent>;
}

export interface EmbeddingsCodec {
  build(req: EmbeddingsRequest, target: UpstreamTarget): HttpRequestSpec;
  /** `req` lets a codec estimate usage the upstream does not report (Gemini) and echo the model. */
  parse(json: unknown, ctx: DecodeContext, req?: EmbeddingsRequest): EmbeddingsResponse;
  /**
   * Most inputs one upstream call takes, when the upstream caps it (Bedrock Titan: one text per
   * InvokeModel, CATALOG.md §5). The gateway then sends a longer list in chunks of this size within
   * one attempt, on the same deployment, and joins the answers. Undefined: no cap, one call.
   */
  maxInputs?(target: UpstreamTarget): number | undefined;
}

export interface RerankCodec {
  build(req: RerankRequest, target: UpstreamTarget): HttpRequestSpec;
  /**
   * `req` lets a codec estimate usage the upstream does not report and honour `return_documents`
   * when the upstream always echoes documents (Bedrock Rerank, CATALOG.md §5).
   */
  parse(json: unknown, ctx: DecodeContext, req?: RerankRequest): RerankResponse;
}

/**
 * For upstreams that speak Anthropic Messages natively: the `/v1/messages` surface sends the
 * client's own body (model replaced) instead of a translation, and reads answers with `chat.parse`
 * and `chat.decoder` for usage.
 */
export interface MessagesCodec {
  /** `betas`: the client's `anthropic-beta` header, forwarded as given. */
  build(body: Record<string, unknown>, target: UpstreamTarget, opts: { stream: boolean; betas?: string }): HttpRequestSpec;
  countTokens(body: Record<string, unknown>, target: UpstreamTarget, opts?: { betas?: string }): HttpRequestSpec;
}

export interface Adapter {
  /** Wire family: 'openai-compatible', 'anthropic', 'gemini', 'bedrock'. */
  readonly family: string;
  readonly chat: ChatCodec;
  readonly messages?: MessagesCodec;
  readonly completions?: CompletionCodec;
  readonly embeddings?: EmbeddingsCodec;
  readonly rerank?: RerankCodec;
  /** Classify a non-2xx upstream response (CATALOG.md Appendix B). Messages are sanitised. */
  mapError(failure: UpstreamFailure): BaimoError;
}
