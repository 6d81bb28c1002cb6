import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../../src/config/types.js';
import { createAnthropicAdapter } from '../../../../src/providers/anthropic/index.js';

/** The `/v1/messages` passthrough body: the client's own, with the upstream model and nothing unsignable. */
const provider: ProviderConfig = {
  name: 'claude',
  kind: 'anthropic',
  base_url: 'https://api.anthropic.com',
  api_key: 'secret',
  headers: { 'X-Api-Key': 'operator-override-loses' },
  timeouts: { connect_ms: 1, first_byte_ms: 1, idle_ms: 1, total_ms: 1 },
};
const target = { provider, upstreamModel: 'claude-sonnet-4-5-20250929' };
const codec = createAnthropicAdapter().messages!;

describe('Anthropic messages codec (native passthrough)', () => {
  const body = {
    model: 'public-name',
    max_tokens: 100,
    stream: true,
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc' } }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'from another model', signature: '' },
          { type: 'thinking', thinking: 'signed', signature: 'sig' },
          { type: 'text', text: 'ok' },
        ],
      },
    ],
    context_management: { edits: [] },
  };

  it('sends the body as given with the upstream model id, Anthropic headers and the messages URL', () => {
    const spec = codec.build(body, target, { stream: true });
    expect(spec.url).toBe('https://api.anthropic.com/v1/messages');
    expect(spec.headers).toMatchObject({ 'x-api-key': 'secret', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
    const sent = JSON.parse(spec.body!);
    expect(sent).toEqual({
      ...body,
      model: 'claude-sonnet-4-5-20250929',
      messages: [body.messages[0], { role: 'assistant', content: [body.messages[1]!.content[1], body.messages[1]!.content[2]] }],
    });
    expect(body.messages[1]!.content).toHaveLength(3);
  });

  it('counts tokens at /v1/messages/count_tokens (base URL with or without /v1)', () => {
    const spec = codec.countTokens({ model: 'x', messages: [] }, { ...target, provider: { ...provider, base_url: 'http://mock/v1' } });
    expect(spec.url).toBe('http://mock/v1/messages/count_tokens');
    expect(JSON.parse(spec.body!).model).toBe('claude-sonnet-4-5-20250929');
  });
});
