import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnthropicPassthroughEncoder } from '../../../src/protocol/anthropic/passthrough.js';
import type { StreamEvent } from '../../../src/protocol/stream-events.js';
import type { StreamDecoder } from '../../../src/providers/adapter.js';
import { createAnthropicDecoder } from '../../../src/providers/anthropic/stream.js';
import { createSseFramer } from '../../../src/providers/sse.js';
import { pairFrames } from '../../../src/router/messages.js';
import { checkEventOrder, parseSse } from '../../support/anthropic-events.js';

/**
 * Native Messages passthrough: raw upstream SSE messages paired with their decoded events, relayed
 * in order with nothing held back, and re-serialised byte for byte except for the model name.
 */
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/providers/anthropic', name), 'utf8');
const ctx = { newId: (p: string) => `${p}-1`, nowSeconds: () => 1 };

/** What upstream-stream.ts does: frame, push each message, then end. */
async function* decodeAll(text: string, decoder: StreamDecoder): AsyncGenerator<StreamEvent, void, void> {
  const framer = createSseFramer();
  for (const message of [...framer.feed(text), ...framer.flush()]) yield* decoder.push(message);
  yield* decoder.end();
}

async function relay(name: string) {
  const paired = pairFrames(createAnthropicDecoder(ctx));
  const usage: StreamEvent[] = [];
  const encoder = new AnthropicPassthroughEncoder('public-model');
  let out = '';
  async function* observed() {
    for await (const e of decodeAll(fixture(name), paired.decoder)) {
      if (e.type === 'usage') usage.push(e);
      yield e;
    }
  }
  for await (const item of paired.relay(observed())) out += encoder.encode(item);
  return { out, usage, done: paired.decoder.done };
}

describe('pairFrames + AnthropicPassthroughEncoder', () => {
  it('relays every upstream event, pings included, in order, with only the model rewritten', async () => {
    const { out, usage, done } = await relay('stream.sse');
    const original = fixture('stream.sse');
    expect(out).toBe(original.replace('"model":"claude-sonnet-4-5-20250929"', '"model":"public-model"'));
    expect(parseSse(out).map((e) => e.event)).toEqual(parseSse(original).map((e) => e.event));
    expect(checkEventOrder(parseSse(out)).blocks).toEqual(['text']);
    expect(usage).toEqual([{ type: 'usage', usage: { prompt_tokens: 25, completion_tokens: 15, total_tokens: 40, prompt_tokens_details: { cached_tokens: 0 } } }]);
    expect(done).toBe(true);
  });

  it('keeps tool and thinking blocks exactly as the upstream sent them', async () => {
    for (const name of ['stream-tools.sse', 'stream-thinking.sse']) {
      const { out } = await relay(name);
      const events = parseSse(out);
      expect(events.map((e) => e.data)).toEqual(parseSse(fixture(name)).map((e) => (e.event === 'message_start' ? { ...e.data, message: { ...e.data.message, model: 'public-model' } } : e.data)));
    }
  });

  it('replaces an upstream error event with Baimo’s sanitised error frame, and ends there', async () => {
    const { out } = await relay('stream-error.sse');
    const events = parseSse(out);
    expect(checkEventOrder(events).ended).toBe('error');
    expect(events.at(-1)!.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'The upstream is overloaded; retry later.' } });
    expect(out).not.toContain('req_011CSHoEeqs5C35K2UUqR7Fy');
  });

  it('ends a truncated stream with an api_error frame', async () => {
    const events = parseSse((await relay('stream-truncated.sse')).out);
    expect(events.at(-1)!.data.error.type).toBe('api_error');
  });
});
