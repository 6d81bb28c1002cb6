import { upstreamError, type BaimoError } from '../../protocol/errors.js';
import type { CompletionStreamEvent } from '../../protocol/stream-events.js';
import type { SseMessage, StreamDecoder } from '../adapter.js';
import { asArray, asNumber, asObject, tryParseJson } from './loose-json.js';
import { malformedResponse } from './response.js';
import { errorInFrame } from './stream.js';
import { normalizeUsage } from './usage.js';
import type { VendorEntry } from './vendors.js';

/**
 * Legacy completions stream (CATALOG.md §1): `data: {id, object: "text_completion", created,
 * model, choices: [{index, text, logprobs, finish_reason}], usage?}` frames, then `data: [DONE]`.
 * Chunks are relayed in that shape, not translated; the decoder validates each frame, picks out
 * usage for metering, turns error frames (the same shapes as chat's) into a terminal error, and
 * tells a finished stream from one cut short.
 */
export function createCompletionStreamDecoder(vendor: VendorEntry): StreamDecoder<CompletionStreamEvent> {
  let done = false;
  let failed = false;
  /** Choice index → whether its `finish_reason` arrived. */
  const choices = new Map<number, boolean>();

  const fail = (error: BaimoError): CompletionStreamEvent[] => {
    failed = true;
    return [{ type: 'error', error }];
  };

  const push = (message: SseMessage): CompletionStreamEvent[] => {
    if (done || failed) return [];
    const data = message.data.trim();
    if (data === '') return [];
    if (data === '[DONE]') {
      done = true;
      return [];
    }
    const json = tryParseJson(data);
    if (json === undefined) return fail(malformedResponse('Upstream sent a stream chunk that is not JSON.'));
    const error = errorInFrame(json, vendor, message.event);
    if (error) return fail(error);
    const chunk = asObject(json);
    if (!chunk) return [];
    const list = asArray(chunk.choices) ?? [];
    for (const [position, raw] of list.entries()) {
      const choice = asObject(raw);
      if (!choice) continue;
      const index = asNumber(choice.index) ?? position;
      const finished = typeof choice.finish_reason === 'string' && choice.finish_reason !== '';
      choices.set(index, (choices.get(index) ?? false) || finished);
    }
    const usage = normalizeUsage(chunk.usage);
    // A frame with neither choices nor usage (keep-alive, vendor status) carries nothing to relay.
    if (list.length === 0 && !usage) return [];
    return [{ type: 'chunk', chunk: { ...chunk, choices: list }, ...(usage ? { usage } : {}) }];
  };

  const end = (): CompletionStreamEvent[] => {
    if (done || failed) return [];
    // No `[DONE]` (some engines omit it): complete if every choice that began also finished.
    if (choices.size > 0 && [...choices.values()].every(Boolean)) {
      done = true;
      return [];
    }
    return fail(upstreamError('Upstream stream ended before the completion was complete.', { status: 502, code: 'upstream_stream_truncated', failure: 'transient' }));
  };

  return {
    push,
    end,
    get done() {
      return done;
    },
  };
}
