import type { Adapter, ChatCodec } from '../adapter.js';
import { createCompletionCodec } from './completions.js';
import { createEmbeddingsCodec } from './embeddings.js';
import { postJson } from './endpoint.js';
import { mapError } from './errors.js';
import { buildChatBody } from './request.js';
import { createRerankCodec } from './rerank.js';
import { parseChatResponse } from './response.js';
import { createStreamDecoder } from './stream.js';
import { VENDORS, type VendorEntry } from './vendors.js';

/**
 * The one shared OpenAI-compatible adapter (STYLE.md §2 "configured by data"), specialised by a
 * `VENDORS` entry. Codecs exist only for the routes the vendor serves.
 */
export function createOpenAICompatibleAdapter(vendor: VendorEntry): Adapter {
  const chat: ChatCodec = {
    build: (req, target, opts) => postJson(vendor, target, vendor.paths.chat, buildChatBody(req, vendor, target, opts), opts.stream),
    parse: (json, ctx) => parseChatResponse(json, vendor, ctx),
    decoder: (ctx) => createStreamDecoder(vendor, ctx),
  };
  const { completions, embeddings, rerank } = vendor.paths;
  return {
    family: 'openai-compatible',
    chat,
    completions: completions ? createCompletionCodec(vendor, completions) : undefined,
    embeddings: embeddings ? createEmbeddingsCodec(vendor, embeddings) : undefined,
    rerank: rerank ? createRerankCodec(vendor, rerank) : undefined,
    mapError: (failure) => mapError(vendor, failure),
  };
}

/** One adapter per catalog id, derived from the table: the registry needs nothing else. */
export function createOpenAICompatibleAdapters(): Map<string, Adapter> {
  return new Map(VENDORS.map((vendor) => [vendor.id, createOpenAICompatibleAdapter(vendor)]));
}

export { VENDORS, findVendor, maxEmbeddingInputsOf } from './vendors.js';
export type {
  AuthStyle,
  ErrorClass,
  ErrorShape,
  MaxTokensField,
  ReasoningSpec,
  RerankRoute,
  RerankShape,
  ThinkingSwitch,
  VendorEntry,
  VendorHooks,
  VendorPaths,
} from './vendors.js';
