import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { BaimoError } from '../protocol/errors.js';
import type { StreamEvent } from '../protocol/stream-events.js';

/**
 * Encodes a stream's events for one client protocol; returns '' for events the client does not
 * see. Events are canonical ones, or whatever a passthrough stream carries (native Messages frames).
 */
export interface StreamEncoder<E = StreamEvent> {
  encode(event: E): string;
  end(): string;
}

/** Any stream whose terminal failure is an `{type: 'error', error}` event, as canonical streams are. */
export interface RelayableStream<E extends { type: string }> {
  events(): AsyncGenerator<E, void, void>;
}

function errorOf(event: { type: string }): BaimoError | undefined {
  return event.type === 'error' ? (event as { error?: BaimoError }).error : undefined;
}

/**
 * Relay a committed stream to the client, one event at a time, honouring backpressure (waits for
 * `drain` when the socket buffer is full). If the client goes away the loop stops, which ends the
 * upstream iterator and so cancels the upstream request. Resolves with the final status for logs.
 */
export async function relayStream<E extends { type: string }>(
  raw: ServerResponse,
  stream: RelayableStream<E>,
  encoder: StreamEncoder<E>,
  headers: Record<string, string>,
  /** Sees every frame written to the client (the request log's copy of a streamed body). */
  onFrame?: (frame: string) => void,
  /** Settles once the stream's usage is journaled: the last frame waits for it. */
  beforeEnd?: () => Promise<void> | undefined,
): Promise<{ status: number; error?: BaimoError }> {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  // No flushHeaders(): the first event is already decoded, and Node sends the headers with it
  // in one write — one syscall less on the time-to-first-token path.
  let error: BaimoError | undefined;
  const events = stream.events();
  try {
    for await (const event of events) {
      error ??= errorOf(event);
      const frame = encoder.encode(event);
      if (frame) onFrame?.(frame);
      if (frame && !raw.write(frame)) await drained(raw);
      if (raw.destroyed) return { status: 499, error };
      if (error) break;
    }
    const pending = beforeEnd?.();
    if (pending) {
      try {
        await pending;
      } catch {
        // The usage could not be journaled: the client must not see a complete answer.
        raw.destroy();
        return { status: 500, error };
      }
      if (raw.destroyed) return { status: 499, error };
    }
    if (!error) {
      const last = encoder.end();
      onFrame?.(last);
      raw.write(last);
    }
    raw.end();
    return { status: 200, error };
  } catch {
    // Only a client disconnect lands here (the iterator itself yields errors as events).
    return { status: 499, error };
  } finally {
    await events.return();
  }
}

async function drained(raw: ServerResponse): Promise<void> {
  if (raw.destroyed) return;
  await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
}

/**
 * The first `maxBytes` (UTF-16 units, close enough for a cap) of a streamed body as the client
 * received it, for orgs that log bodies; the rest is counted, not kept, so a long stream costs no
 * more memory than its cap.
 */
export function streamTranscript(maxChars: number): { add(frame: string): void; text(): string } {
  let kept = '';
  let dropped = 0;
  return {
    add(frame) {
      const room = maxChars - kept.length;
      if (room >= frame.length) kept += frame;
      else {
        if (room > 0) kept += frame.slice(0, room);
        dropped += frame.length - Math.max(0, room);
      }
    },
    text: () => (dropped > 0 ? `${kept}…[truncated: ${dropped} more characters]` : kept),
  };
}
