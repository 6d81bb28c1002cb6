import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../src/protocol/chat.js';
import { createAnthropicAdapter } from '../../../src/providers/anthropic/index.js';
import { createBedrockAdapter } from '../../../src/providers/bedrock/index.js';
import { createGeminiAdapter } from '../../../src/providers/gemini/index.js';
import { createOpenAICompatibleAdapter, findVendor } from '../../../src/providers/openai-compatible/index.js';
import { chatRequest, testTarget } from './anthropic/fixture-suite.js';

/**
 * Prompt-cache breakpoints (`cache_control` on text parts and tools, CATALOG.md §3, §5) as each
 * wire format writes them: marked blocks for Anthropic, `cachePoint` blocks for Bedrock Converse,
 * nothing for formats without them.
 */
const EPHEMERAL = { type: 'ephemeral' as const };
const request: ChatRequest = chatRequest({
  model: 'm',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are terse.', cache_control: EPHEMERAL }] },
    { role: 'user', content: [{ type: 'text', text: 'long document', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'question' }] },
  ],
  tools: [
    { type: 'function', function: { name: 'a', parameters: { type: 'object' } } },
    { type: 'function', function: { name: 'b', parameters: { type: 'object' } }, cache_control: EPHEMERAL },
  ],
});
const build = (adapter: { chat: { build: (r: ChatRequest, t: ReturnType<typeof testTarget>, o: { stream: boolean }) => { body?: string } } }, model: string) =>
  JSON.parse(adapter.chat.build(request, testTarget(model, 'https://upstream.example/v1'), { stream: false }).body!) as Record<string, any>;

describe('prompt-cache breakpoints', () => {
  it('Anthropic: the system, text blocks and tools carry cache_control as given', () => {
    const body = build(createAnthropicAdapter(), 'claude-sonnet-4-5');
    expect(body.system).toEqual([{ type: 'text', text: 'You are terse.', cache_control: EPHEMERAL }]);
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'long document', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'text', text: 'question' },
    ]);
    expect(body.tools.map((t: Record<string, unknown>) => t.cache_control)).toEqual([undefined, EPHEMERAL]);
  });

  it('Bedrock Converse: a cachePoint block follows each cached system text, content block and tool', () => {
    const body = build(createBedrockAdapter(), 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const point = { cachePoint: { type: 'default' } };
    expect(body.system).toEqual([{ text: 'You are terse.' }, point]);
    expect(body.messages[0].content).toEqual([{ text: 'long document' }, point, { text: 'question' }]);
    expect(body.toolConfig.tools).toEqual([
      { toolSpec: { name: 'a', inputSchema: { json: { type: 'object' } } } },
      { toolSpec: { name: 'b', inputSchema: { json: { type: 'object' } } } },
      point,
    ]);
  });

  it('OpenAI-compatible and Gemini: no breakpoint reaches the wire (no vendor there documents them)', () => {
    const oai = JSON.stringify(build(createOpenAICompatibleAdapter(findVendor('deepseek')!), 'deepseek-chat'));
    expect(oai).not.toContain('cache_control');
    expect(oai).toContain('long document');
    const gemini = build(createGeminiAdapter(), 'gemini-2.5-flash');
    expect(JSON.stringify(gemini)).not.toContain('cache');
    expect(gemini.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }] });
  });

  it('a request without breakpoints is written as before (one system string for Anthropic)', () => {
    const plain = chatRequest({ model: 'm', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'hi' }] });
    const body = JSON.parse(createAnthropicAdapter().chat.build(plain, testTarget('claude'), { stream: false }).body!);
    expect(body.system).toBe('S');
  });
});
