import type { ChatMessage, FinishReason, ToolCall, Usage } from '../chat.js';
import type { BaimoError } from '../errors.js';
import type { DeltaEvent, StreamEvent, ToolCallDelta } from '../stream-events.js';
import { finishOutcome, responseObject } from './encode.js';
import type { FunctionCallItem, ItemStatus, MessageItem, OutputItem, ReasoningItem, ResponseEnvelope, ResponseObject } from './types.js';

/**
 * Canonical stream events → Responses SSE (CATALOG.md §1.4): `event: <type>` plus a data object
 * carrying the same `type` and a `sequence_number` from 0; no `[DONE]`. Per output item the order
 * is `output_item.added` → part added → deltas → done events → `output_item.done`; the stream ends
 * with exactly one of `response.completed`, `response.incomplete` or `response.failed`, carrying
 * the full response with usage.
 *
 * The protocol makes the terminal event repeat the whole answer, so this encoder keeps the text
 * of the output items (bounded by the model's output limit), unlike the chat encoder; the same
 * copy is what the response store saves.
 */
export class ResponsesStreamEncoder {
  private seq = 0;
  private started = false;
  private final: ResponseObject | undefined;
  /** Frames computed by `complete()` and not yet written by `end()`. */
  private tail = '';
  private readonly output: OutputItem[] = [];
  private reasoning: { index: number; item: ReasoningItem } | undefined;
  private message: { index: number; item: MessageItem; part?: { index: number; kind: 'text' | 'refusal' } } | undefined;
  private readonly calls = new Map<number, { index: number; item: FunctionCallItem; open: boolean }>();
  private readonly callData = new Map<string, Record<string, unknown>>();
  private messageData: Record<string, unknown> | undefined;
  private finishReason: FinishReason | undefined;
  private usage: Usage | undefined;

  constructor(
    private readonly envelope: ResponseEnvelope,
    private readonly newId: (prefix: string) => string,
  ) {}

  encode(event: StreamEvent): string {
    if (this.final) return '';
    const head = this.started ? '' : this.begin();
    switch (event.type) {
      case 'start':
        return head;
      case 'delta':
        return head + (event.index === 0 ? this.delta(event) : '');
      case 'finish':
        if (event.index !== 0) return head;
        this.finishReason = event.reason;
        return head + this.closeAll(finishOutcome(event.reason).status === 'incomplete' ? 'incomplete' : 'completed');
      case 'usage':
        this.usage = event.usage;
        return head;
      case 'error':
        return head + this.fail(event.error);
    }
  }

  /**
   * Close the answer after the last event: the final Response object, and the frames that
   * `end()` will write. Separate from `end()` so the caller can store the response before the
   * client sees the terminal event (a client may chain on it at once). Idempotent.
   */
  complete(): ResponseObject {
    if (this.final) return this.final;
    const head = this.started ? '' : this.begin();
    const outcome = finishOutcome(this.finishReason);
    const closing = this.closeAll(outcome.status === 'incomplete' ? 'incomplete' : 'completed');
    this.final = responseObject(this.envelope, { ...outcome, output: this.output, usage: this.usage });
    this.tail = head + closing + this.emit(`response.${this.final.status}`, { response: this.final });
    return this.final;
  }

  /** The terminal frames after a stream that ended without an error. */
  end(): string {
    this.complete();
    const tail = this.tail;
    this.tail = '';
    return tail;
  }

  /** The Response object of the terminal event (undefined until the stream has ended or failed). */
  finalResponse(): ResponseObject | undefined {
    return this.final;
  }

  /** The answer as a canonical assistant message, replay data included, for chaining later turns. */
  assistantMessage(): ChatMessage {
    const message: ChatMessage = { role: 'assistant', content: null };
    const reasoning = this.output.flatMap((o) => (o.type === 'reasoning' ? o.summary.map((s) => s.text) : [])).join('');
    const text = this.output.flatMap((o) => (o.type === 'message' ? o.content.map((p) => (p.type === 'output_text' ? p.text : '')) : [])).join('');
    const calls: ToolCall[] = this.output.flatMap((o) => {
      if (o.type !== 'function_call') return [];
      const data = this.callData.get(o.call_id);
      return [{ id: o.call_id, type: 'function' as const, function: { name: o.name, arguments: o.arguments }, ...(data ? { provider_data: data } : {}) }];
    });
    if (reasoning) message.reasoning_content = reasoning;
    if (text) message.content = text;
    if (calls.length > 0) message.tool_calls = calls;
    if (this.messageData) message.provider_data = this.messageData;
    return message;
  }

  private begin(): string {
    this.started = true;
    const snapshot = responseObject(this.envelope, { status: 'in_progress', output: [] });
    return this.emit('response.created', { response: snapshot }) + this.emit('response.in_progress', { response: snapshot });
  }

  private delta(event: DeltaEvent): string {
    let out = '';
    if (event.provider_data) this.messageData = { ...this.messageData, ...event.provider_data };
    if (event.reasoning) out += this.reasoningDelta(event.reasoning);
    if (event.content) out += this.partDelta('text', event.content);
    if (event.refusal) out += this.partDelta('refusal', event.refusal);
    for (const call of event.tool_calls ?? []) out += this.callDelta(call);
    return out;
  }

  private reasoningDelta(text: string): string {
    let out = '';
    if (!this.reasoning) {
      out += this.closeAll('completed');
      const item: ReasoningItem = { type: 'reasoning', id: this.newId('rs'), summary: [] };
      this.reasoning = { index: this.output.push(item) - 1, item };
      out += this.emit('response.output_item.added', { output_index: this.reasoning.index, item });
      item.summary.push({ type: 'summary_text', text: '' });
      out += this.emit('response.reasoning_summary_part.added', { ...this.summaryRef(), part: { type: 'summary_text', text: '' } });
    }
    this.reasoning.item.summary[0]!.text += text;
    return out + this.emit('response.reasoning_summary_text.delta', { ...this.summaryRef(), delta: text });
  }

  private partDelta(kind: 'text' | 'refusal', text: string): string {
    let out = '';
    if (!this.message) {
      out += this.closeAll('completed');
      const item: MessageItem = { type: 'message', id: this.newId('msg'), status: 'in_progress', role: 'assistant', content: [] };
      this.message = { index: this.output.push(item) - 1, item };
      out += this.emit('response.output_item.added', { output_index: this.message.index, item });
    }
    const m = this.message;
    if (m.part?.kind !== kind) {
      out += this.closePart();
      const part: MessageItem['content'][number] = kind === 'text' ? { type: 'output_text', text: '', annotations: [], logprobs: [] } : { type: 'refusal', refusal: '' };
      m.part = { index: m.item.content.push(part) - 1, kind };
      out += this.emit('response.content_part.added', { ...this.partRef(), part });
    }
    const part = m.item.content[m.part.index]!;
    if (part.type === 'output_text') {
      part.text += text;
      return out + this.emit('response.output_text.delta', { ...this.partRef(), delta: text, logprobs: [] });
    }
    part.refusal += text;
    return out + this.emit('response.refusal.delta', { ...this.partRef(), delta: text });
  }

  private callDelta(delta: ToolCallDelta): string {
    let out = '';
    let call = this.calls.get(delta.index);
    if (!call) {
      // Calls of one turn stay open together: some upstreams interleave their argument fragments.
      out += this.closeReasoning() + this.closeMessage('completed');
      const item: FunctionCallItem = {
        type: 'function_call',
        id: this.newId('fc'),
        call_id: delta.id ?? this.newId('call'),
        name: delta.name ?? '',
        arguments: '',
        status: 'in_progress',
      };
      call = { index: this.output.push(item) - 1, item, open: true };
      this.calls.set(delta.index, call);
      out += this.emit('response.output_item.added', { output_index: call.index, item });
    } else if (delta.name && !call.item.name) {
      call.item.name = delta.name;
    }
    if (delta.provider_data) this.callData.set(call.item.call_id, { ...this.callData.get(call.item.call_id), ...delta.provider_data });
    if (!delta.arguments) return out;
    call.item.arguments += delta.arguments;
    return out + this.emit('response.function_call_arguments.delta', { item_id: call.item.id, output_index: call.index, delta: delta.arguments });
  }

  private fail(error: BaimoError): string {
    for (const item of this.output) if (item.type !== 'reasoning' && item.status === 'in_progress') item.status = 'incomplete';
    this.final = responseObject(this.envelope, {
      status: 'failed',
      output: this.output,
      usage: this.usage,
      error: { code: error.code, message: error.message },
    });
    return this.emit('response.failed', { response: this.final });
  }

  private closeAll(status: ItemStatus): string {
    return this.closeReasoning() + this.closeMessage(status) + this.closeCalls(status);
  }

  private closeReasoning(): string {
    const r = this.reasoning;
    if (!r) return '';
    this.reasoning = undefined;
    const part = r.item.summary[0]!;
    const ref = { item_id: r.item.id, output_index: r.index, summary_index: 0 };
    return (
      this.emit('response.reasoning_summary_text.done', { ...ref, text: part.text }) +
      this.emit('response.reasoning_summary_part.done', { ...ref, part }) +
      this.emit('response.output_item.done', { output_index: r.index, item: r.item })
    );
  }

  private closeMessage(status: ItemStatus): string {
    const m = this.message;
    if (!m) return '';
    const out = this.closePart();
    this.message = undefined;
    m.item.status = status;
    return out + this.emit('response.output_item.done', { output_index: m.index, item: m.item });
  }

  private closePart(): string {
    const m = this.message;
    if (!m?.part) return '';
    const ref = this.partRef();
    const part = m.item.content[m.part.index]!;
    m.part = undefined;
    const done =
      part.type === 'output_text'
        ? this.emit('response.output_text.done', { ...ref, text: part.text, logprobs: [] })
        : this.emit('response.refusal.done', { ...ref, refusal: part.refusal });
    return done + this.emit('response.content_part.done', { ...ref, part });
  }

  private closeCalls(status: ItemStatus): string {
    let out = '';
    for (const call of this.calls.values()) {
      if (!call.open) continue;
      call.open = false;
      call.item.status = status;
      const { id, name, arguments: args } = call.item;
      out += this.emit('response.function_call_arguments.done', { item_id: id, output_index: call.index, name, arguments: args });
      out += this.emit('response.output_item.done', { output_index: call.index, item: call.item });
    }
    return out;
  }

  private summaryRef() {
    return { item_id: this.reasoning!.item.id, output_index: this.reasoning!.index, summary_index: 0 };
  }

  private partRef() {
    const m = this.message!;
    return { item_id: m.item.id, output_index: m.index, content_index: m.part!.index };
  }

  /** One SSE frame, serialised now: items are mutated afterwards, the frame must not change. */
  private emit(type: string, payload: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload, sequence_number: this.seq++ })}\n\n`;
  }
}
