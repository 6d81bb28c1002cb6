import type { BaimoError } from '../errors.js';
import { errorFrame } from './stream-encoder.js';

/**
 * What a deployment that speaks Messages natively streams back: its own SSE messages, relayed
 * as they came, or a terminal Baimo error (an upstream `error` event, already sanitised and
 * classified by the adapter, or a failure of the connection).
 */
export type PassthroughItem = { type: 'frame'; event?: string; data: string } | { type: 'error'; error: BaimoError };

/**
 * Relays an Anthropic upstream's stream byte for byte, except that clients see the public model
 * name (in `message_start`, the only event naming a model, CATALOG.md §3) and Baimo's error frame
 * in place of the upstream's, whose message could name the vendor.
 */
export class AnthropicPassthroughEncoder {
  constructor(private readonly publicModel: string) {}

  encode(item: PassthroughItem): string {
    if (item.type === 'error') return errorFrame(item.error);
    const data = item.event === 'message_start' ? withPublicModel(item.data, this.publicModel) : item.data;
    const name = item.event === undefined ? '' : `event: ${item.event}\n`;
    return `${name}${data.split('\n').map((line) => `data: ${line}\n`).join('')}\n`;
  }

  end(): string {
    return '';
  }
}

/** `message_start` data with `message.model` replaced; data that does not parse is relayed unchanged. */
function withPublicModel(data: string, publicModel: string): string {
  try {
    const event = JSON.parse(data) as { message?: Record<string, unknown> };
    if (typeof event.message !== 'object' || event.message === null) return data;
    event.message.model = publicModel;
    return JSON.stringify(event);
  } catch {
    return data;
  }
}

/** A native Messages response body under the public model name. */
export function withMessageModel(body: unknown, publicModel: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, model: publicModel };
}
