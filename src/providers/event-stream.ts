import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { malformedUpstreamBody } from './parse-upstream.js';

/**
 * Incremental AWS event-stream framing (`application/vnd.amazon.eventstream`, CATALOG.md §5),
 * the binary counterpart of sse.ts: feed body chunks cut anywhere, get whole messages back. Each
 * message is a prelude (total length, headers length, CRC), headers, a payload and a message CRC;
 * AWS's own codec checks both CRCs and parses the headers, and this file only finds where one
 * message ends, which the codec leaves to its callers.
 */
export interface EventStreamMessage {
  /** `:message-type`: `event`, `exception` (a modelled error), or `error` (an unmodelled one). */
  messageType: string;
  /** `:event-type` of an event, `:exception-type` of an exception, `:error-code` of an error. */
  type: string;
  /** The payload as text (JSON for Bedrock), or `:error-message` for an `error` message. */
  data: string;
}

export interface EventStreamFramer {
  /** Feed a chunk of bytes; returns the messages completed by it. Throws a 502 on a corrupt frame. */
  feed(chunk: Uint8Array): EventStreamMessage[];
  /** Bytes of an unfinished message still held (non-zero at end of body: the stream was cut). */
  readonly pending: number;
}

/** Prelude (12) + message CRC (4): the smallest message there is. */
const MIN_MESSAGE = 16;
/** AWS caps one event-stream message at 16 MiB; a larger length means the framing is lost. */
const MAX_MESSAGE = 16 * 1024 * 1024;

export function createEventStreamFramer(): EventStreamFramer {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  let buffer: Uint8Array = new Uint8Array(0);
  return {
    feed(chunk) {
      buffer = buffer.length === 0 ? chunk : concat(buffer, chunk);
      const out: EventStreamMessage[] = [];
      while (buffer.length >= 4) {
        const length = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0, false);
        if (length < MIN_MESSAGE || length > MAX_MESSAGE) {
          throw malformedUpstreamBody(`event-stream message length ${length} is out of range`);
        }
        if (buffer.length < length) break;
        out.push(decodeMessage(codec, buffer.subarray(0, length)));
        buffer = buffer.subarray(length);
      }
      // Keep no reference to a large consumed chunk while waiting for the next one.
      if (buffer.length > 0 && buffer.byteOffset > 0) buffer = buffer.slice();
      return out;
    },
    get pending() {
      return buffer.length;
    },
  };
}

function decodeMessage(codec: EventStreamCodec, frame: Uint8Array): EventStreamMessage {
  let message: ReturnType<EventStreamCodec['decode']>;
  try {
    message = codec.decode(frame);
  } catch (cause) {
    throw malformedUpstreamBody('event-stream message failed its checksum', cause);
  }
  const header = (name: string): string => {
    const value = message.headers[name];
    return value && value.type === 'string' ? value.value : '';
  };
  const messageType = header(':message-type') || 'event';
  if (messageType === 'error') return { messageType, type: header(':error-code'), data: header(':error-message') };
  const type = messageType === 'exception' ? header(':exception-type') : header(':event-type');
  return { messageType, type, data: toUtf8(message.body) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
