import { fileURLToPath } from 'node:url';
import type { StreamEvent } from '../../../../src/protocol/stream-events.js';
import { createBedrockAdapter } from '../../../../src/providers/bedrock/index.js';
import type { Adapter } from '../../../../src/providers/adapter.js';
import { eventStreamFromJsonl } from '../../../support/aws-event-stream.js';
import { describeFixtures, eventJson, fixedContext, type StreamFormat } from '../anthropic/fixture-suite.js';

/**
 * Bedrock Converse fixtures through the shared suite. Streams are stored as readable
 * `*.events.jsonl` (one event-stream message per line) and encoded to real event-stream bytes
 * (preludes, CRCs) before decoding, whole, byte by byte and in seeded random slices.
 */
const EVENT_STREAM_FORMAT: StreamFormat = {
  extension: '.events.jsonl',
  decode: (adapter, file, nextSliceSize) => decodeEventStream(adapter, eventStreamFromJsonl(file.toString('utf8')), nextSliceSize),
};

function decodeEventStream(adapter: Adapter, bytes: Uint8Array, nextSliceSize: () => number = () => bytes.length) {
  const decoder = adapter.chat.decoder(fixedContext());
  const events: StreamEvent[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.max(1, nextSliceSize());
    events.push(...decoder.pushBytes!(bytes.subarray(at, at + size)));
    at += size;
  }
  events.push(...decoder.end());
  return { events: events.map(eventJson), done: decoder.done };
}

describeFixtures(
  'bedrock',
  () => createBedrockAdapter(),
  fileURLToPath(new URL('../../../fixtures/providers/bedrock', import.meta.url)),
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  EVENT_STREAM_FORMAT,
);
