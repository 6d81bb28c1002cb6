import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../../src/protocol/chat.js';
import { createGeminiAdapter } from '../../../../src/providers/gemini/index.js';
import { accumulateMessage, chatRequest, decodeFixture, fixedContext, testTarget } from '../anthropic/fixture-suite.js';

/**
 * Gemini function calls have no ids and Gemini 3 signs them (CATALOG.md §4.1): the adapter
 * synthesises OpenAI ids, stores each signature on its tool call, and on the next turn must turn
 * both back into `functionCall` + `thoughtSignature` and name-matched `functionResponse`s.
 */
const adapter = createGeminiAdapter();
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/providers/gemini/${name}`, import.meta.url));
const tools = [{ type: 'function' as const, function: { name: 'get_weather' } }, { type: 'function' as const, function: { name: 'get_time' } }];

function contents(messages: ChatMessage[]): unknown[] {
  return JSON.parse(adapter.chat.build(chatRequest({ model: 'm', messages, tools }), testTarget('gemini-3-pro-preview'), { stream: false }).body!).contents;
}

function modelTurn(parts: unknown[]) {
  return { candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], responseId: 'r' };
}

describe('gemini id synthesis and signature replay', () => {
  it('gives every function call a fresh id from the context and keeps its signature', () => {
    const ctx = fixedContext();
    const parsed = adapter.chat.parse(
      modelTurn([
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' },
        { functionCall: { name: 'get_time', args: {} } },
      ]),
      ctx,
    );
    expect(parsed.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' }, provider_data: { gemini: { thought_signature: 'sig-1' } } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(parsed.id).toBe('r');
  });

  it('replays a parsed turn verbatim and names each result after its call, over several turns', () => {
    const ctx = fixedContext();
    const history: ChatMessage[] = [{ role: 'user', content: 'Weather in Paris, then the time?' }];
    const turn1 = adapter.chat.parse(modelTurn([{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' }]), ctx);
    const call1 = turn1.choices[0]!.message.tool_calls![0]!;
    history.push(turn1.choices[0]!.message, { role: 'tool', tool_call_id: call1.id, content: '18°C' });
    const turn2 = adapter.chat.parse(modelTurn([{ functionCall: { name: 'get_time', args: { tz: 'CET' } }, thoughtSignature: 'sig-2' }]), ctx);
    const call2 = turn2.choices[0]!.message.tool_calls![0]!;
    history.push(turn2.choices[0]!.message, { role: 'tool', tool_call_id: call2.id, content: '10:00' });

    expect(contents(history)).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris, then the time?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: '18°C' } } }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_time', args: { tz: 'CET' } }, thoughtSignature: 'sig-2' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_time', response: { content: '10:00' } } }] },
    ]);
  });

  it('resolves a reused id to the latest call that carried it', () => {
    const call = (name: string) => ({ id: 'call_1', type: 'function' as const, function: { name, arguments: '{}' } });
    const built = contents([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [call('get_weather')] },
      { role: 'tool', tool_call_id: 'call_1', content: 'w' },
      { role: 'assistant', content: null, tool_calls: [call('get_time')] },
      { role: 'tool', tool_call_id: 'call_1', content: 't' },
    ]);
    expect(built[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: 'w' } } }] });
    expect(built[4]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_time', response: { content: 't' } } }] });
  });

  it('replays a streamed tool turn like the same turn answered whole', () => {
    const streamed = accumulateMessage(decodeFixture(adapter, fixture('stream-tools.sse')));
    const [, model, results] = contents([
      { role: 'user', content: 'Weather?' },
      streamed,
      { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      { role: 'tool', tool_call_id: 'call_2', content: '24°C' },
    ]);
    expect(model).toEqual({
      role: 'model',
      parts: [
        { text: 'Let me check both.' },
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBcsjafDkMmlZ0iLYN3aHQbPDm1uvp5RxfLp/fXW5qhNv+5Tc=' },
        { functionCall: { name: 'get_weather', args: { city: 'Tokyo' } } },
      ],
    });
    expect(results).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_weather', response: { content: '18°C' } } },
        { functionResponse: { name: 'get_weather', response: { content: '24°C' } } },
      ],
    });
  });

  it('never replays a signature that belongs to another provider family', () => {
    const built = contents([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'get_time', arguments: '{}' }, provider_data: { anthropic: { signature: 'x' } } }] },
      { role: 'tool', tool_call_id: 'c', content: 't' },
    ]);
    expect(built[1]).toEqual({ role: 'model', parts: [{ functionCall: { name: 'get_time', args: {} } }] });
  });
});
