import type { HttpRequestSpec, MessagesCodec, UpstreamTarget } from '../adapter.js';
import { anthropicHeaders, messagesUrl } from './request.js';

/**
 * The `/v1/messages` surface on an Anthropic deployment: the client's Messages body goes upstream
 * as given — unknown fields, cache_control, documents, server tools and all (CATALOG.md §3) — with
 * two changes only:
 *  - `model` is the deployment's upstream id;
 *  - a `thinking` block without a signature is left out of assistant turns. Such blocks come from
 *    answers of other families (the Messages codec sends them with an empty signature), Anthropic
 *    validates every signature, and unsigned reasoning cannot be replayed: the Anthropic adapter's
 *    translated path leaves it out for the same reason (messages.ts).
 *
 * @example createAnthropicMessagesCodec().build(request.body, { provider, upstreamModel: 'claude-sonnet-4-5' }, { stream: true })
 */
export function createAnthropicMessagesCodec(): MessagesCodec {
  return {
    build: (body, target, opts) => post(messagesUrl(target.provider.base_url), body, target, opts.betas),
    countTokens: (body, target, opts) => post(`${messagesUrl(target.provider.base_url)}/count_tokens`, body, target, opts?.betas),
  };
}

/** The client's `anthropic-beta` flags go upstream as given: they switch on features of the body it sent. */
function post(url: string, body: Record<string, unknown>, target: UpstreamTarget, betas?: string): HttpRequestSpec {
  const headers = anthropicHeaders(target.provider);
  return { method: 'POST', url, headers: betas ? { ...headers, 'anthropic-beta': betas } : headers, body: JSON.stringify(nativeBody(body, target.upstreamModel)) };
}

export function nativeBody(body: Record<string, unknown>, upstreamModel: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body, model: upstreamModel };
  if (Array.isArray(body.messages)) out.messages = body.messages.map(withoutUnsignedThinking);
  return out;
}

function withoutUnsignedThinking(message: unknown): unknown {
  const m = message as { role?: unknown; content?: unknown };
  if (m.role !== 'assistant' || !Array.isArray(m.content)) return message;
  const content = m.content.filter((block: { type?: unknown; signature?: unknown }) => block?.type !== 'thinking' || (typeof block.signature === 'string' && block.signature !== ''));
  return content.length === m.content.length ? message : { ...m, content };
}
