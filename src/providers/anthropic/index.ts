import type { Adapter } from '../adapter.js';
import { mapAnthropicError } from './errors.js';
import { createAnthropicMessagesCodec } from './native.js';
import { buildAnthropicRequest } from './request.js';
import { parseAnthropicResponse } from './response.js';
import { createAnthropicDecoder } from './stream.js';

/**
 * The native Anthropic Messages adapter (CATALOG.md §3, Appendix A "Native adapters").
 * Chat only: Anthropic has no embeddings endpoint (§3 points to Voyage AI). `messages` serves
 * Baimo's own `/v1/messages` surface by passing the client's body through (native.ts).
 *
 * @example
 * const adapter = createAnthropicAdapter();
 * const spec = adapter.chat.build(req, { provider, upstreamModel: 'claude-sonnet-4-5' }, { stream: true });
 */
export function createAnthropicAdapter(): Adapter {
  return {
    family: 'anthropic',
    chat: {
      build: buildAnthropicRequest,
      parse: parseAnthropicResponse,
      decoder: createAnthropicDecoder,
    },
    messages: createAnthropicMessagesCodec(),
    mapError: mapAnthropicError,
  };
}

export { DEFAULT_MAX_TOKENS, THINKING_BUDGETS } from './request.js';
export type { ReplayDeltaEvent } from './stream.js';
export type { AnthropicReplay } from './replay-data.js';
