import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { BaimoError } from '../protocol/errors.js';
import type { StreamEvent } from '../protocol/stream-events.js';
import type { OpenStream } from '../router/index.js';

/** Encodes canonical events for one client protocol; returns '' for events the client does not see. */
export interface StreamEncoder {
  encode(event: StreamEvent): string;
  end(): string;
}

/**
 * Relay a committed stream to the client, one event at a time, honouring backpressure (waits for
 * `drain` when the socket buffer is full). If the client goes away the loop stops, which ends the
 * upstream iterator and so cancels the upstream request. Resolves with the final status for logs.
 */
export async function relayStream(
  raw: ServerResponse,
  stream: OpenStream,
  encoder: StreamEncoder,
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
      if (event.type === 'error') error = event.error;
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
