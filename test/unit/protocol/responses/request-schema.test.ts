import { describe, expect, it } from 'vitest';
import { parseResponsesRequest, toChatRequest } from '../../../../src/protocol/responses/request-schema.js';

/** Responses request → canonical chat request (CATALOG.md §1.4; docs/surfaces.md translation matrix). */

const ids = () => {
  let n = 0;
  return (prefix: string) => `${prefix}_t${++n}`;
};
const parse = (body: Record<string, unknown>) => parseResponsesRequest({ model: 'm', ...body }, ids());
const chatOf = (body: Record<string, unknown>, history = []) => toChatRequest(parse(body), history);

/** The BaimoError fields a refused body throws. */
function refusal(body: Record<string, unknown>) {
  try {
    parse(body);
  } catch (e) {
    const err = e as { status: number; code: string; param: string | null; message: string };
    return { status: err.status, code: err.code, param: err.param, message: err.message };
  }
  throw new Error('expected the request to be refused');
}

describe('Responses request → canonical chat request', () => {
  it('a string input is one user message; instructions become the system message before it', () => {
    const chat = chatOf({ input: 'Hi', instructions: 'Be brief.' });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(chat).toMatchObject({ model: 'm', stream: false, extra: {} });
  });

  it('message items: input_text and input_image become chat parts; a lone text part collapses to a string', () => {
    const chat = chatOf({
      input: [
        { role: 'developer', content: [{ type: 'input_text', text: 'Rules.' }] },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'developer', content: 'Rules.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
    ]);
  });

  it('folds a reasoning item, a message and function calls of one turn into one assistant message; outputs become tool messages', () => {
    const chat = chatOf({
      input: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Two cities.' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
        { type: 'function_call_output', call_id: 'call_a', output: '{"temp":21}' },
        { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: '{"temp":18}' }] },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Tokyo?' },
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning_content: 'Two cities.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'call_b', content: '{"temp":18}' },
    ]);
  });

  it('drops a reasoning item that no answer follows, and starts a new turn for text after calls', () => {
    const chat = chatOf({
      input: [
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { role: 'assistant', content: 'Then text.' },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'orphan' }] },
        { role: 'user', content: 'next' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'assistant', content: 'Then text.' },
      { role: 'user', content: 'next' },
    ]);
  });

  it('history from previous_response_id goes between the instructions and this turn', () => {
    const req = parse({ input: 'again', instructions: 'New rules.', previous_response_id: 'resp_1' });
    const chat = toChatRequest(req, [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'one' },
    ]);
    expect(chat.messages.map((m) => m.content)).toEqual(['New rules.', 'first', 'one', 'again']);
    expect(req.previousResponseId).toBe('resp_1');
  });

  it('maps flat function tools, tool_choice, sampling, output limit, reasoning effort, text format and verbosity', () => {
    const chat = chatOf({
      input: 'x',
      tools: [{ type: 'function', name: 'calc', description: 'Adds.', parameters: { type: 'object' }, strict: true }],
      tool_choice: { type: 'function', name: 'calc' },
      parallel_tool_calls: false,
      max_output_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      reasoning: { effort: 'high', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
      user: 'u-1',
      top_k: 5,
    });
    expect(chat).toMatchObject({
      tools: [{ type: 'function', function: { name: 'calc', description: 'Adds.', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'calc' } },
      parallel_tool_calls: false,
      max_completion_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      reasoning_effort: 'high',
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      user: 'u-1',
      extra: { top_k: 5, verbosity: 'low' },
    });
    expect(chat).not.toHaveProperty('max_tokens');
  });

  it('store defaults to true; metadata, include and stream_options are consumed, not forwarded', () => {
    const req = parse({ input: 'x', metadata: { ticket: '42' }, include: ['reasoning.encrypted_content'], stream: true, stream_options: { include_obfuscation: false } });
    expect(req).toMatchObject({ store: true, stream: true, metadata: { ticket: '42' } });
    expect(toChatRequest(req, []).extra).toEqual({});
    expect(parse({ input: 'x', store: false }).store).toBe(false);
  });

  it('normalises input items for listing: a type, an id, and content as parts', () => {
    const req = parse({ input: [{ role: 'user', content: 'Hi' }, { type: 'function_call_output', call_id: 'c', output: 'ok' }] });
    expect(req.inputItems).toEqual([
      { type: 'message', id: 'msg_t1', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { type: 'function_call_output', id: 'fco_t2', call_id: 'c', output: 'ok' },
    ]);
    expect(parse({ input: 'Hi' }).inputItems).toEqual([{ type: 'message', id: 'msg_t1', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }]);
  });
});

describe('Responses request: refused with a 400 naming the field', () => {
  it.each([
    ['a built-in tool', { tools: [{ type: 'function', name: 'f' }, { type: 'web_search' }] }, 'tools[1].type'],
    ['an image by file id', { input: [{ role: 'user', content: [{ type: 'input_text', text: 'x' }, { type: 'input_image', file_id: 'file-1' }] }] }, 'input[0].content[1].file_id'],
    ['a file by file id', { input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }] }, 'input[0].content[0].file_id'],
    ['an item reference', { input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type'],
    ['a built-in tool call item', { input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input[0].type'],
    ['a hosted tool choice', { tool_choice: { type: 'web_search_preview' } }, 'tool_choice.type'],
    ['background mode', { background: true }, 'background'],
    ['a conversation', { conversation: 'conv_1' }, 'conversation'],
    ['server-side truncation', { truncation: 'auto' }, 'truncation'],
    ['logprobs', { include: ['message.output_text.logprobs'] }, 'include[0]'],
  ])('%s', (_label, body, param) => {
    expect(refusal({ input: 'x', ...body })).toMatchObject({ status: 400, code: 'unsupported_parameter', param });
  });

  it('validates shapes with the full path of the offending field', () => {
    expect(refusal({ input: undefined })).toMatchObject({ code: 'missing_required_parameter', param: 'input' });
    expect(refusal({ input: [{ type: 'function_call', name: 'f', arguments: '{}' }] })).toMatchObject({ code: 'missing_required_parameter', param: 'input[0].call_id' });
    expect(refusal({ input: 'x', temperature: 3 })).toMatchObject({ code: 'invalid_value', param: 'temperature' });
    expect(refusal({ input: 'x', tools: [{ type: 'function' }] })).toMatchObject({ code: 'missing_required_parameter', param: 'tools[0].name' });
    expect(refusal({ input: 'x', text: { format: { type: 'json_schema', schema: {} } } })).toMatchObject({ param: 'text.format.name' });
    expect(refusal({ input: [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }] })).toMatchObject({ code: 'invalid_value', param: 'input[0].content[0].type' });
    expect(refusal({ input: [] })).toMatchObject({ code: 'invalid_value', param: 'input' });
  });

  it('an empty input is fine when chaining (function call outputs may come alone, or nothing at all)', () => {
    expect(parse({ input: [], previous_response_id: 'resp_1' }).input).toEqual([]);
  });
});
