import { upstreamError, type BaimoError } from '../protocol/errors.js';

/**
 * The upstream body ended before the wire format's own terminator (Anthropic `message_stop`,
 * Gemini's `finishReason` chunk: CATALOG.md §3, §4.1). Whatever the client received is
 * incomplete; the failure is transient (a reset or a proxy cut), so the router may retry when
 * no byte has reached the client yet.
 */
export function streamTruncated(): BaimoError {
  return upstreamError('Upstream stream ended before it was complete.', {
    status: 502,
    code: 'upstream_stream_truncated',
    failure: 'transient',
  });
}
