import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../../../src/protocol/chat.js';
import { encodeResponse, envelopeOf, toResponseUsage } from '../../../../src/protocol/responses/encode.js';
import { parseResponsesRequest } from '../../../../src/protocol/responses/request-schema.js';

/** Canonical chat answer → Response object (CATALOG.md §1.4). */

const ids = () => {
  let n = 0;
  return (prefix: string) => `${prefix}_${++n}`;
};

function envelope(body: Record<string, unknown> = {}) {
  const req = parseResponsesRequest({ model: 'pub-model', input: 'hi', ...body }, ids());
  return envelopeOf(req, { id: 'resp_1', createdAt: 1_760_000_000 });
}

const answer = (message: ChatResponse['choices'][number]['message'], finish = 'stop'): ChatResponse => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'upstream-model',
  choices: [{ index: 0, message, finish_reason: finish }],
  usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 20 } },
});

describe('Responses encoder (non-stream)', () => {
  it('a text answer: one message item, usage in Responses names, the request echoed, the public model name', () => {
    const res = encodeResponse(envelope({ instructions: 'Be brief.', temperature: 0.5, metadata: { k: 'v' } }), answer({ role: 'assistant', content: 'Paris.' }), ids());
    expect(res).toEqual({
      id: 'resp_1',
      object: 'response',
      created_at: 1_760_000_000,
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: 'Be brief.',
      max_output_tokens: null,
      model: 'pub-model',
      output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Paris.', annotations: [], logprobs: [] }] }],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: true,
      temperature: 0.5,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: null,
      truncation: 'disabled',
      usage: { input_tokens: 12, input_tokens_details: { cached_tokens: 2 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 20 }, total_tokens: 42 },
      user: null,
      metadata: { k: 'v' },
    });
  });

  it('reasoning first, then the message, then function calls; replay data never shown', () => {
    const res = encodeResponse(
      envelope({ tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }] }),
      answer(
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Checking.' }],
          reasoning_content: 'Need the weather.',
          provider_data: { anthropic: { signature: 'secret-sig' } },
          tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' }, provider_data: { gemini: { thoughtSignature: 'x' } } }],
        },
        'tool_calls',
      ),
      ids(),
    );
    expect(res.output).toEqual([
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Need the weather.' }] },
      { type: 'message', id: 'msg_2', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [], logprobs: [] }] },
      { type: 'function_call', id: 'fc_3', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
    ]);
    expect(res.tools).toEqual([{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }]);
    expect(JSON.stringify(res)).not.toMatch(/secret-sig|thoughtSignature/);
  });

  it('a cut-off answer is incomplete (max_output_tokens); a filtered one incomplete (content_filter)', () => {
    const cut = encodeResponse(envelope({ max_output_tokens: 20 }), answer({ role: 'assistant', content: 'Once' }, 'length'), ids());
    expect(cut).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 20 });
    expect(cut.output[0]).toMatchObject({ status: 'incomplete' });
    const filtered = encodeResponse(envelope(), answer({ role: 'assistant', content: null }, 'content_filter'), ids());
    expect(filtered).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [] });
  });

  it('echoes text format, verbosity, tool choice and parallel_tool_calls as requested', () => {
    const env = envelope({
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' } }, verbosity: 'low' },
      tool_choice: 'required',
      parallel_tool_calls: false,
      reasoning: { effort: 'low' },
      previous_response_id: 'resp_0',
    });
    expect(env).toMatchObject({
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' } }, verbosity: 'low' },
      tool_choice: 'required',
      parallel_tool_calls: false,
      reasoning: { effort: 'low', summary: null },
      previous_response_id: 'resp_0',
    });
  });

  it('usage without details reports zero cached and reasoning tokens', () => {
    expect(toResponseUsage({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })).toEqual({
      input_tokens: 1,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 3,
    });
  });
});
