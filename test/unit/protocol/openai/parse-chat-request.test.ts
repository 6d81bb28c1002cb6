import { describe, expect, it } from 'vitest';
import { parseChatRequest } from '../../../../src/protocol/openai/request-schema.js';
import { BaimoError } from '../../../../src/protocol/errors.js';

/** The canonical chat request the gateway works on, as built from a client's body (request-schema.ts). */
describe('parseChatRequest', () => {
  it('keeps set known fields, leaves out null ones (vendor default), and passes unknown fields through in extra', () => {
    const req = parseChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: null,
      max_tokens: 16,
      top_k: 5,
      enable_thinking: false,
      metadata: null,
    });
    expect(req).toEqual({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16, extra: { top_k: 5, enable_thinking: false, metadata: null } });
    expect('temperature' in req).toBe(false);
  });

  it('gives a message without content a null content, without changing the client body', () => {
    const body = { model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', content: 'r', tool_call_id: 'c' }] };
    const before = structuredClone(body);
    const req = parseChatRequest(body);
    expect(req.messages[0]!.content).toBeNull();
    expect(req.messages[1]!.content).toBe('r');
    expect(body).toEqual(before);
  });

  it('answers a bad body with a 400 naming the parameter', () => {
    const refused = (body: unknown) => {
      try {
        parseChatRequest(body);
      } catch (err) {
        return err as BaimoError;
      }
      throw new Error('accepted');
    };
    expect(refused({ model: 'm' })).toMatchObject({ status: 400, param: 'messages' });
    expect(refused({ model: 'm', messages: [{ role: 'robot', content: 'x' }] })).toMatchObject({ status: 400, param: 'messages[0].role' });
    expect(refused([1, 2])).toMatchObject({ status: 400 });
  });
});
