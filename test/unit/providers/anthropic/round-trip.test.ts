import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../../src/protocol/chat.js';
import { createAnthropicAdapter } from '../../../../src/providers/anthropic/index.js';
import { accumulateMessage, chatRequest, decodeFixture, fixedContext, testTarget } from './fixture-suite.js';

/**
 * What the gateway answers must go back upstream unchanged in the next turn: tool calls as
 * `tool_use` with the same ids and input, thinking with its signature (CATALOG.md §3).
 */
const adapter = createAnthropicAdapter();
const target = testTarget('claude-sonnet-4-5');
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/providers/anthropic/${name}`, import.meta.url));
const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }];

function wireMessages(messages: ChatMessage[]): unknown[] {
  return JSON.parse(adapter.chat.build(chatRequest({ model: 'm', messages, tools }), target, { stream: false }).body!).messages;
}

function response(content: unknown[], stopReason: string) {
  return { id: 'msg_x', type: 'message', role: 'assistant', model: 'claude', content, stop_reason: stopReason, usage: { input_tokens: 1, output_tokens: 1 } };
}

describe('anthropic tool round trip over several turns', () => {
  it('replays each answered turn as tool_use and its results as one user turn', () => {
    const history: ChatMessage[] = [{ role: 'user', content: 'Weather in Paris and Tokyo, then Oslo?' }];

    const turn1 = adapter.chat.parse(
      response(
        [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Tokyo', unit: 'C' } },
        ],
        'tool_use',
      ),
      fixedContext(),
    );
    expect(turn1.choices[0]!.finish_reason).toBe('tool_calls');
    history.push(turn1.choices[0]!.message, { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' }, { role: 'tool', tool_call_id: 'toolu_2', content: '24°C' });

    const turn2 = adapter.chat.parse(response([{ type: 'tool_use', id: 'toolu_3', name: 'get_weather', input: { city: 'Oslo' } }], 'tool_use'), fixedContext());
    history.push(turn2.choices[0]!.message, { role: 'tool', tool_call_id: 'toolu_3', content: '-2°C' });

    expect(wireMessages(history)).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Tokyo, then Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Tokyo', unit: 'C' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '24°C' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_3', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_3', content: '-2°C' }] },
    ]);
  });

  it('replays a streamed tool turn exactly like the same turn answered whole', () => {
    const streamed = accumulateMessage(decodeFixture(adapter, fixture('stream-tools.sse')));
    expect(streamed.tool_calls?.map((c) => c.function.arguments)).toEqual(['{"city": "Paris"}', '{"city": "Tokyo"}']);
    const messages = wireMessages([{ role: 'user', content: 'Weather?' }, streamed, { role: 'tool', tool_call_id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', content: '18°C' }]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking both cities.' },
        { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up7', name: 'get_weather', input: { city: 'Tokyo' } },
      ],
    });
  });
});

describe('anthropic thinking replay', () => {
  const thinkingBlock = (text: string, signature: string) => ({ type: 'thinking', thinking: text, signature });

  it('puts a parsed thinking block back first in its assistant turn, signature intact', () => {
    const parsed = adapter.chat.parse(
      response(
        [thinkingBlock('I need the weather tool.', 'sig-abc'), { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Rome' } }],
        'tool_use',
      ),
      fixedContext(),
    );
    const assistant = parsed.choices[0]!.message;
    expect(assistant).toMatchObject({ reasoning_content: 'I need the weather tool.', provider_data: { anthropic: { signature: 'sig-abc' } }, content: null });
    const messages = wireMessages([{ role: 'user', content: 'Rome?' }, assistant, { role: 'tool', tool_call_id: 'toolu_9', content: 'sunny' }]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [thinkingBlock('I need the weather tool.', 'sig-abc'), { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Rome' } }],
    });
  });

  it('replays thinking accumulated from a stream the same way', () => {
    const streamed = accumulateMessage(decodeFixture(adapter, fixture('stream-thinking.sse')));
    const messages = wireMessages([{ role: 'user', content: '27 * 453?' }, streamed, { role: 'user', content: 'Thanks' }]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [
        thinkingBlock('Let me work out 27 * 453. 27 * 453 = 12231.', 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds'),
        { type: 'text', text: '27 × 453 = 12,231.' },
      ],
    });
  });

  it('never replays replay data that belongs to another provider family', () => {
    const messages = wireMessages([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b', reasoning_content: 'r', provider_data: { gemini: { thought_signature: 'g' } } },
      { role: 'user', content: 'c' },
    ]);
    expect(messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'b' }] });
  });
});
