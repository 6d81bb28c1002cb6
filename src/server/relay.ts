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
      if (frame && !raw.write(frame)) await drained(raw);
      if (raw.destroyed) return { status: 499, error };
      if (error) break;
    }
    if (!error) raw.write(encoder.end());
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
