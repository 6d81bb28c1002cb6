import type { FinishReason, Usage } from '../chat.js';
import { BaimoError } from '../errors.js';
import type { DeltaEvent, StreamEvent, ToolCallDelta } from '../stream-events.js';
import { encodeAnthropicError, toAnthropicUsage, toStopReason } from './encode.js';

/**
 * Canonical stream events → Anthropic's named SSE events, in the exact order of CATALOG.md §3:
 *   message_start, ping,
 *   per block: content_block_start → n × content_block_delta → content_block_stop,
 *   message_delta (stop reason, cumulative usage), message_stop.
 * Blocks are strictly sequential with indexes 0, 1, 2…: reasoning opens a `thinking` block,
 * content a `text` block, each tool call a `tool_use` block whose argument fragments are relayed
 * as `input_json_delta` (never parsed here). A change of kind closes the open block.
 *
 * The finish and usage events may come in either order, so message_delta waits for `end()`.
 * OpenAI-shaped usage arrives only at the end of a stream, so `message_start` reports 0 input
 * tokens and `message_delta` the real counts (the SDKs take both from message_delta when present).
 * An error event becomes `event: error`, after which nothing more is written.
 */

type OpenBlock = { kind: 'text' | 'thinking' } | { kind: 'tool'; toolIndex: number };

/** One SSE frame: `event: <name>` and one `data:` line of JSON. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function errorFrame(err: BaimoError): string {
  return sseFrame('error', encodeAnthropicError(err).body);
}

export class AnthropicEventEncoder {
  private started = false;
  private failed = false;
  private block: OpenBlock | undefined;
  private nextIndex = 0;
  private readonly closedTools = new Set<number>();
  private finish: FinishReason | undefined;
  private usage: Usage | undefined;

  constructor(private readonly publicModel: string, private readonly messageId: string) {}

  encode(event: StreamEvent): string {
    if (this.failed) return '';
    if (event.type === 'error') {
      this.failed = true;
      return errorFrame(event.error);
    }
    let out = this.start();
    switch (event.type) {
      case 'delta':
        if (event.index === 0) out += this.delta(event);
        break;
      case 'finish':
        if (event.index === 0) this.finish = event.reason;
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'start':
        break;
    }
    return out;
  }

  end(): string {
    if (this.failed) return '';
    const usage = toAnthropicUsage(this.usage);
    return (
      this.start() +
      this.close() +
      sseFrame('message_delta', { type: 'message_delta', delta: { stop_reason: toStopReason(this.finish), stop_sequence: null }, usage }) +
      sseFrame('message_stop', { type: 'message_stop' })
    );
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: this.messageId,
      type: 'message',
      role: 'assistant',
      model: this.publicModel,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return sseFrame('message_start', { type: 'message_start', message }) + sseFrame('ping', { type: 'ping' });
  }

  private delta(event: DeltaEvent): string {
    let out = '';
    if (event.reasoning) out += this.open({ kind: 'thinking' }) + this.blockDelta({ type: 'thinking_delta', thinking: event.reasoning });
    const text = (event.content ?? '') + (event.refusal ?? '');
    if (text) out += this.open({ kind: 'text' }) + this.blockDelta({ type: 'text_delta', text });
    for (const call of event.tool_calls ?? []) out += this.toolDelta(call);
    return out;
  }

  private toolDelta(call: ToolCallDelta): string {
    const open = this.block;
    let out = '';
    if (open?.kind !== 'tool' || open.toolIndex !== call.index) {
      if (this.closedTools.has(call.index)) return this.fail('The upstream interleaved the fragments of parallel tool calls.');
      out += this.open({ kind: 'tool', toolIndex: call.index }, {
        type: 'tool_use',
        id: call.id ?? `toolu_${this.messageId}_${call.index}`,
        name: call.name ?? '',
        input: {},
      });
    }
    if (call.arguments) out += this.blockDelta({ type: 'input_json_delta', partial_json: call.arguments });
    return out;
  }

  /** Open a block of this kind unless one is open already (a text block keeps taking text). */
  private open(block: OpenBlock, contentBlock?: Record<string, unknown>): string {
    if (block.kind !== 'tool' && this.block?.kind === block.kind) return '';
    const out = this.close();
    this.block = block;
    const start = contentBlock ?? (block.kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' });
    return out + sseFrame('content_block_start', { type: 'content_block_start', index: this.nextIndex, content_block: start });
  }

  private blockDelta(delta: Record<string, unknown>): string {
    return sseFrame('content_block_delta', { type: 'content_block_delta', index: this.nextIndex, delta });
  }

  private close(): string {
    const block = this.block;
    if (!block) return '';
    if (block.kind === 'tool') this.closedTools.add(block.toolIndex);
    this.block = undefined;
    return sseFrame('content_block_stop', { type: 'content_block_stop', index: this.nextIndex++ });
  }

  /**
   * OpenAI-format streams send each call's fragments together (CATALOG.md §1.3); a closed Anthropic
   * block cannot be reopened, so fragments arriving out of that order end the stream with an error.
   */
  private fail(message: string): string {
    this.failed = true;
    return errorFrame(new BaimoError('upstream', message, { status: 502, code: 'upstream_malformed_response' }));
  }
}
