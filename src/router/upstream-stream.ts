import { StringDecoder } from 'node:string_decoder';
import type { Usage } from '../protocol/chat.js';
import { BaimoError, internalError } from '../protocol/errors.js';
import type { ErrorEvent, StreamEvent } from '../protocol/stream-events.js';
import type { StreamDecoder } from '../providers/adapter.js';
import { createSseFramer } from '../providers/sse.js';
import { ClientAbortError, type UpstreamResponse } from '../providers/transport.js';
import type { Lease } from './lease.js';

/**
 * A stream the gateway has committed to: the events decoded before the commit point, and an
 * iterator over the rest. Upstream bytes are framed, decoded and yielded one event at a time —
 * never buffered whole. Failures after the commit arrive as a terminal `error` event. The lease
 * is finished when the iterator ends, whichever way (including the consumer stopping early).
 */
export interface OpenStream<E = StreamEvent> {
  readonly deploymentId: string;
  events(): AsyncGenerator<E, void, void>;
  /** Usage seen so far (final once the iterator has ended). */
  usage(): Usage | undefined;
}

/**
 * What a decoder may yield: canonical events, or a surface's own (legacy completion chunks). An
 * event with `usage` updates the stream's usage; `error` is terminal.
 */
export interface DecodedEvent {
  type: string;
  usage?: Usage;
  error?: BaimoError;
}

export async function openStream<E extends DecodedEvent = StreamEvent>(
  res: UpstreamResponse,
  decoder: StreamDecoder<E>,
  lease: Lease,
  now: () => number,
  startedAt: number,
): Promise<OpenStream<E | ErrorEvent>> {
  let usage: Usage | undefined;
  let ttftMs: number | undefined;
  let failure: unknown;
  let clientGone = false;
  const source = decode(res, decoder);

  const note = (e: DecodedEvent) => {
    if (e.type === 'error') failure = e.error;
    else if (e.usage) usage = e.usage;
  };

  // Pull until the first event: until then nothing has reached the client and a failure is retryable.
  const first = await source.next().catch((err: unknown) => {
    res.body.destroy();
    throw res.classify(err);
  });
  if (first.done) throw res.classify(new Error('Upstream stream ended before any event.'));
  if (first.value.type === 'error') {
    res.body.destroy();
    throw first.value.error;
  }
  ttftMs = now() - startedAt;
  note(first.value);

  async function* events(): AsyncGenerator<E | ErrorEvent, void, void> {
    try {
      yield first.value as E;
      while (true) {
        let step: IteratorResult<E>;
        try {
          step = await source.next();
        } catch (err) {
          const classified = res.classify(err);
          if (classified instanceof ClientAbortError) {
            clientGone = true;
            return;
          }
          const e: ErrorEvent = { type: 'error', error: BaimoError.is(classified) ? classified : internalError(classified) };
          note(e);
          yield e;
          return;
        }
        if (step.done) return;
        note(step.value);
        yield step.value;
        if (step.value.type === 'error') return;
      }
    } finally {
      // Consumer stopped early (client disconnect) or the stream ended: stop reading upstream.
      if (!res.body.destroyed) res.body.destroy();
      res.release();
      if (failure !== undefined) {
        lease.finish({ status: BaimoError.is(failure) ? failure.status : 500, error: failure, usage, ttftMs });
      } else if (clientGone || !decoder.done) {
        // The consumer stopped before the upstream finished: the client went away.
        lease.finish({ status: 499, usage, ttftMs });
      } else {
        lease.finish({ status: 200, usage, ttftMs });
      }
    }
  }

  return {
    deploymentId: lease.deployment.id,
    events,
    usage: () => usage,
  };
}

/** Raw body → SSE messages → canonical events, with UTF-8 split across chunks handled. */
async function* decode<E>(res: UpstreamResponse, decoder: StreamDecoder<E>): AsyncGenerator<E, void, void> {
  if (decoder.pushBytes) {
    // A binary framing (AWS event-stream): the decoder frames the bytes itself.
    for await (const chunk of res.body) for (const event of decoder.pushBytes(chunk)) yield event;
    yield* decoder.end();
    return;
  }
  const framer = createSseFramer();
  const utf8 = new StringDecoder('utf8');
  for await (const chunk of res.body) {
    for (const message of framer.feed(utf8.write(chunk))) {
      for (const event of decoder.push(message)) yield event;
    }
  }
  for (const message of framer.feed(utf8.end())) for (const event of decoder.push(message)) yield event;
  for (const message of framer.flush()) for (const event of decoder.push(message)) yield event;
  yield* decoder.end();
}
