import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { createBedrockAdapter } from '../../../../src/providers/bedrock/index.js';
import { encodeEventMessage, encodeEventStream } from '../../../support/aws-event-stream.js';
import { eventJson, fixedContext } from '../anthropic/fixture-suite.js';

function decoder() {
  return createBedrockAdapter().chat.decoder(fixedContext());
}

const start = { event: 'messageStart', payload: { role: 'assistant' } };
const text = (value: string) => ({ event: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: value } } });
const stop = { event: 'messageStop', payload: { stopReason: 'max_tokens' } };
const metadata = { event: 'metadata', payload: { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 }, metrics: { latencyMs: 10 } } };

describe('bedrock stream decoder', () => {
  it('reads frames split anywhere, including inside the 4-byte length prelude', () => {
    const bytes = encodeEventStream([start, text('A'), text('B'), stop, metadata]);
    const d = decoder();
    const events = [bytes.subarray(0, 2), bytes.subarray(2, 13), bytes.subarray(13, bytes.length - 1), bytes.subarray(bytes.length - 1)].flatMap((c) => d.pushBytes!(c));
    expect(events.map(eventJson)).toEqual([
      { type: 'start', id: 'chatcmpl_1', created: 1_760_000_000 },
      { type: 'delta', index: 0, role: 'assistant' },
      { type: 'delta', index: 0, content: 'A' },
      { type: 'delta', index: 0, content: 'B' },
      { type: 'finish', index: 0, reason: 'length' },
      { type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    ]);
    expect(d.done).toBe(true);
    expect(d.end()).toEqual([]);
  });

  it('is done at messageStop; a missing metadata event leaves usage unknown, not zero', () => {
    const d = decoder();
    const events = d.pushBytes!(encodeEventStream([start, stop]));
    expect(d.done).toBe(true);
    expect([...events, ...d.end()].some((e) => e.type === 'usage')).toBe(false);
  });

  it('still opens with start and the role when messageStart is missing', () => {
    const events = decoder().pushBytes!(encodeEventStream([text('A'), text('B')])).map(eventJson);
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl_1', created: 1_760_000_000 },
      { type: 'delta', index: 0, role: 'assistant' },
      { type: 'delta', index: 0, content: 'A' },
      { type: 'delta', index: 0, content: 'B' },
    ]);
  });

  it('ignores event kinds it does not know', () => {
    const d = decoder();
    expect(d.pushBytes!(encodeEventStream([start, { event: 'somethingNew', payload: { x: 1 } }])).map((e) => e.type)).toEqual(['start', 'delta']);
  });

  it('fails the stream on a frame whose checksum does not match', () => {
    const frame = Buffer.from(encodeEventMessage(text('A')));
    frame[frame.length - 1] ^= 0xff;
    const d = decoder();
    const events = d.pushBytes!(Buffer.concat([encodeEventStream([start]), frame])).map(eventJson);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_malformed_response' } });
    expect(d.pushBytes!(encodeEventStream([text('late')]))).toEqual([]);
    expect(d.done).toBe(false);
  });

  it('fails on an impossible message length instead of buffering forever', () => {
    const d = decoder();
    const events = d.pushBytes!(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])).map(eventJson);
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'upstream_malformed_response' }) }]);
  });

  it('maps an unmodelled `error` message (headers only) through the error table', () => {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const error = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'error' },
        ':error-code': { type: 'string', value: 'InternalFailure' },
        ':error-message': { type: 'string', value: 'boom' },
      },
      body: new Uint8Array(0),
    });
    const events = decoder().pushBytes!(Buffer.concat([encodeEventStream([start]), error])).map(eventJson);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_error', retryable: true } });
  });

  it('fails on a payload that is not JSON', () => {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const bad = codec.encode({
      headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'contentBlockDelta' } },
      body: fromUtf8('{not json'),
    });
    const events = decoder().pushBytes!(Buffer.concat([encodeEventStream([start]), bad])).map(eventJson);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_malformed_response' } });
  });

  it('a stream cut inside a frame is truncated', () => {
    const bytes = encodeEventStream([start, text('A')]);
    const d = decoder();
    d.pushBytes!(bytes.subarray(0, bytes.length - 5));
    expect(d.end().map(eventJson)).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'upstream_stream_truncated' }) }]);
  });
});
