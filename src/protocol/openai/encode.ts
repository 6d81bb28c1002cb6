import type { ChatResponse } from '../chat.js';
import { BaimoError } from '../errors.js';
import type { StreamEvent, ToolCallDelta } from '../stream-events.js';

/**
 * The OpenAI surface codec, outbound: responses, stream chunks and errors in OpenAI's exact
 * shapes (CATALOG.md §1.2, §1.3, §1.5). Clients see the public model name, never the upstream's.
 */

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The single mapping from Baimo's error hierarchy to OpenAI's error JSON. */
export function encodeError(err: BaimoError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

/** Response headers an error carries (`retry-after` in whole seconds, as OpenAI sends it). */
export function errorHeaders(err: BaimoError): Record<string, string> {
  const headers: Record<string, string> = { ...err.headers };
  if (err.retryAfter !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfter)));
    headers['retry-after-ms'] = String(Math.round(err.retryAfter * 1000));
  }
  // Steer the official SDKs' own retries: they should not retry what cannot succeed.
  headers['x-should-retry'] = String(err.retryable);
  return headers;
}

export function encodeChatResponse(res: ChatResponse, publicModel: string): ChatResponse {
  // Choices are copied only when a message carries replay data to strip (rarely): most answers share them.
  const strips = res.choices.some((c) => stripProviderData(c.message) !== c.message);
  return { ...res, model: publicModel, choices: strips ? res.choices.map((c) => ({ ...c, message: stripProviderData(c.message) })) : res.choices };
}

function stripProviderData<T extends { provider_data?: unknown; tool_calls?: { provider_data?: unknown }[] }>(m: T): T {
  if (m.provider_data === undefined && !m.tool_calls?.some((t) => t.provider_data !== undefined)) return m;
  const { provider_data: _drop, ...rest } = m;
  const out = rest as T;
  if (m.tool_calls) out.tool_calls = m.tool_calls.map(({ provider_data: _d, ...t }) => t) as T['tool_calls'];
  return out;
}

/**
 * Stateful chunk encoder for one stream. `encode` returns the SSE frames (`data: …\n\n`) for one
 * canonical event; `end` returns the terminator. Usage reaches the client only if it asked.
 */
export class OpenAIChunkEncoder {
  private id = '';
  private created = 0;
  private fingerprint: string | null | undefined;
  private readonly roleSent = new Set<number>();

  constructor(private readonly publicModel: string, private readonly includeUsage: boolean, fallbackId: string, now: number) {
    this.id = fallbackId;
    this.created = now;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        this.id = event.id || this.id;
        this.created = event.created || this.created;
        this.fingerprint = event.system_fingerprint;
        return '';
      case 'delta': {
        const delta: Record<string, unknown> = {};
        if (!this.roleSent.has(event.index)) {
          this.roleSent.add(event.index);
          delta.role = 'assistant';
        }
        if (event.content !== undefined) delta.content = event.content;
        if (event.reasoning !== undefined) delta.reasoning_content = event.reasoning;
        if (event.tool_calls) delta.tool_calls = event.tool_calls.map(encodeToolCallDelta);
        if (event.refusal !== undefined) delta.refusal = event.refusal;
        // A delta that carried only replay data shows nothing to this client.
        if (Object.keys(delta).length === 0 && event.logprobs === undefined) return '';
        return this.chunk([{ index: event.index, delta, finish_reason: null, ...(event.logprobs !== undefined ? { logprobs: event.logprobs } : {}) }]);
      }
      case 'finish': {
        const delta: Record<string, unknown> = {};
        if (!this.roleSent.has(event.index)) {
          this.roleSent.add(event.index);
          delta.role = 'assistant';
        }
        return this.chunk([{ index: event.index, delta, finish_reason: event.reason, ...(event.logprobs !== undefined ? { logprobs: event.logprobs } : {}) }]);
      }
      case 'usage':
        return this.includeUsage ? this.chunk([], event.usage) : '';
      case 'error':
        return `data: ${JSON.stringify(encodeError(event.error))}\n\n`;
    }
  }

  end(): string {
    return 'data: [DONE]\n\n';
  }

  private chunk(choices: unknown[], usage?: unknown): string {
    const body: Record<string, unknown> = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.publicModel,
      choices,
    };
    if (this.fingerprint !== undefined) body.system_fingerprint = this.fingerprint;
    if (this.includeUsage) body.usage = usage ?? null;
    return `data: ${JSON.stringify(body)}\n\n`;
  }
}

function encodeToolCallDelta(t: ToolCallDelta): Record<string, unknown> {
  const out: Record<string, unknown> = { index: t.index };
  if (t.id !== undefined) {
    out.id = t.id;
    out.type = 'function';
  }
  const fn: Record<string, unknown> = {};
  if (t.name !== undefined) fn.name = t.name;
  if (t.arguments !== undefined) fn.arguments = t.arguments;
  out.function = fn;
  return out;
}
