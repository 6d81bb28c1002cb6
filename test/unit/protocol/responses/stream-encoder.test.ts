import { describe, expect, it } from 'vitest';
import type { Response as SdkResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import { upstreamError } from '../../../../src/protocol/errors.js';
import { envelopeOf } from '../../../../src/protocol/responses/encode.js';
import { parseResponsesRequest } from '../../../../src/protocol/responses/request-schema.js';
import { ResponsesStreamEncoder } from '../../../../src/protocol/responses/stream-encoder.js';
import type { StreamEvent } from '../../../../src/protocol/stream-events.js';

/** Canonical events → Responses SSE (CATALOG.md §1.4): frame format, event order, terminal events. */

const ids = () => {
  let n = 0;
  return (prefix: string) => `${prefix}_${++n}`;
};

function encoder(body: Record<string, unknown> = {}) {
  const req = parseResponsesRequest({ model: 'pub-model', input: 'hi', stream: true, ...body }, ids());
  return new ResponsesStreamEncoder(envelopeOf(req, { id: 'resp_1', createdAt: 1_760_000_000 }), ids());
}

/** Runs the events through a fresh encoder as the relay would (end() only when no error came). */
function run(events: StreamEvent[], body?: Record<string, unknown>) {
  const enc = encoder(body);
  let text = '';
  for (const e of events) {
    text += enc.encode(e);
    if (e.type === 'error') break;
  }
  if (!events.some((e) => e.type === 'error')) text += enc.end();
  return { text, enc, frames: frames(text) };
}

function frames(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine, ...rest] = block.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      return { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) };
    });
}

/** Replays the frames through the official SDK's own accumulator: it throws on any out-of-order event. */
function sdkSnapshot(fs: { data: ResponseStreamEvent }[]): SdkResponse {
  let snapshot: SdkResponse | undefined;
  for (const f of fs) snapshot = accumulateResponse(f.data, snapshot);
  return snapshot!;
}

const start: StreamEvent = { type: 'start', id: 'up-1', created: 1, model: 'upstream-model' };
const usage: StreamEvent = {
  type: 'usage',
  usage: { prompt_tokens: 10, completion_tokens: 9, total_tokens: 19, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 6 } },
};
const text = (content: string): StreamEvent => ({ type: 'delta', index: 0, content });

describe('Responses stream encoder', () => {
  it('text: the exact event order, sequence numbers from 0, the type inside each data object, no [DONE]', () => {
    const { text: out, frames: fs } = run([start, { type: 'delta', index: 0, role: 'assistant', content: '' }, text('Hello'), text(' world'), { type: 'finish', index: 0, reason: 'stop' }, usage]);
    expect(fs.map((f) => f.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(fs.map((f) => f.data.sequence_number)).toEqual(fs.map((_, i) => i));
    for (const f of fs) expect(f.data.type).toBe(f.event);
    expect(out).not.toContain('[DONE]');
    const item = fs[2]!.data.item;
    expect(item).toEqual({ type: 'message', id: 'msg_1', status: 'in_progress', role: 'assistant', content: [] });
    expect(fs[4]!.data).toMatchObject({ item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hello' });
    expect(fs[6]!.data).toMatchObject({ text: 'Hello world' });
    const done = fs.at(-1)!.data.response;
    expect(done).toMatchObject({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'pub-model',
      output: [{ type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Hello world', annotations: [] }] }],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 6 }, total_tokens: 19 },
      error: null,
      incomplete_details: null,
    });
    expect(fs[0]!.data.response).toMatchObject({ status: 'in_progress', output: [], usage: null });
    expect(sdkSnapshot(fs).output_text).toBe('Hello world');
  });

  it('reasoning before text: a reasoning item with a summary part, closed before the message opens', () => {
    const { frames: fs, enc } = run([
      start,
      { type: 'delta', index: 0, reasoning: '2 plus 2', provider_data: { anthropic: { signature: 'sig' } } },
      { type: 'delta', index: 0, reasoning: ' is 4.' },
      text('4'),
      { type: 'finish', index: 0, reason: 'stop' },
      usage,
    ]);
    expect(fs.map((f) => f.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(fs[6]!.data).toMatchObject({ item_id: 'rs_1', output_index: 0, summary_index: 0, text: '2 plus 2 is 4.' });
    expect(fs[9]!.data.output_index).toBe(1);
    const snapshot = sdkSnapshot(fs);
    expect(snapshot.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: '2 plus 2 is 4.' }] });
    expect(JSON.stringify(fs)).not.toContain('sig');
    expect(enc.assistantMessage()).toEqual({ role: 'assistant', content: '4', reasoning_content: '2 plus 2 is 4.', provider_data: { anthropic: { signature: 'sig' } } });
  });

  it('parallel function calls: each item added, its argument deltas, then done events in output order', () => {
    const { frames: fs, enc } = run([
      start,
      text('Checking.'),
      { type: 'delta', index: 0, tool_calls: [{ index: 0, id: 'call_a', name: 'get_weather', arguments: '' }] },
      { type: 'delta', index: 0, tool_calls: [{ index: 0, arguments: '{"city":' }] },
      { type: 'delta', index: 0, tool_calls: [{ index: 1, id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}', provider_data: { gemini: { s: 1 } } }] },
      { type: 'delta', index: 0, tool_calls: [{ index: 0, arguments: '"Paris"}' }] },
      { type: 'finish', index: 0, reason: 'tool_calls' },
    ]);
    expect(fs.map((f) => f.event).slice(2)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const snapshot = sdkSnapshot(fs);
    expect(snapshot.output.slice(1)).toEqual([
      { type: 'function_call', id: 'fc_2', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
      { type: 'function_call', id: 'fc_3', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}', status: 'completed' },
    ]);
    expect(fs.at(-1)!.data.response.usage).toBeNull();
    expect(enc.assistantMessage().tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' }, provider_data: { gemini: { s: 1 } } },
    ]);
  });

  it('a length finish ends with response.incomplete and reason max_output_tokens', () => {
    const { frames: fs } = run([start, text('Once upon'), { type: 'finish', index: 0, reason: 'length' }, usage], { max_output_tokens: 16 });
    const last = fs.at(-1)!;
    expect(last.event).toBe('response.incomplete');
    expect(last.data.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 16 });
    expect(last.data.response.output[0].status).toBe('incomplete');
  });

  it('an error mid-stream ends it with response.failed carrying the error and the output so far', () => {
    const err = upstreamError('The upstream is overloaded.', { status: 503, code: 'overloaded', failure: 'transient' });
    const { frames: fs, enc } = run([start, text('Partial'), { type: 'error', error: err }]);
    expect(fs.map((f) => f.event).slice(-2)).toEqual(['response.output_text.delta', 'response.failed']);
    expect(fs.at(-1)!.data.response).toMatchObject({
      status: 'failed',
      error: { code: 'overloaded', message: 'The upstream is overloaded.' },
      output: [{ type: 'message', status: 'incomplete', content: [{ text: 'Partial' }] }],
    });
    expect(enc.end()).toBe('');
    expect(enc.finalResponse()?.status).toBe('failed');
  });

  it('complete() computes the final response before end() writes the terminal frames, once', () => {
    const enc = encoder();
    let out = enc.encode(start) + enc.encode(text('Hi')) + enc.encode({ type: 'finish', index: 0, reason: 'stop' });
    const final = enc.complete();
    expect(final.status).toBe('completed');
    expect(out).not.toContain('response.completed');
    out += enc.end();
    expect(frames(out).at(-1)!.event).toBe('response.completed');
    expect(enc.end()).toBe('');
    expect(enc.complete()).toBe(final);
  });

  it('refusals stream as a refusal part; other choices than the first are ignored', () => {
    const { frames: fs } = run([start, { type: 'delta', index: 0, refusal: 'No.' }, { type: 'delta', index: 1, content: 'other choice' }, { type: 'finish', index: 0, reason: 'stop' }]);
    expect(fs.map((f) => f.event)).toContain('response.refusal.done');
    expect(sdkSnapshot(fs).output).toEqual([{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] }]);
  });
});
