import { z } from 'zod';
import type { ChatMessage, ContentPart, ToolCall } from '../chat.js';
import { invalidRequest, unsupported } from '../errors.js';
import { formatPath } from '../validate-body.js';
import { checkShape } from './validate.js';

/**
 * Responses input items (CATALOG.md §1.4) → canonical chat messages. The Responses API spreads one
 * assistant turn over several items (a reasoning item, a message, function calls); chat puts them
 * on one assistant message, so consecutive assistant-side items are folded together here.
 */

const part = z.looseObject({ type: z.string() });
const messageItem = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'system', 'developer', 'assistant']),
  content: z.union([z.string(), z.array(part)]),
  id: z.string().optional(),
});
const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().optional(),
});
const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(part)]),
  id: z.string().optional(),
});
const reasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.literal('summary_text'), text: z.string() })),
  content: z.array(z.looseObject({ type: z.literal('reasoning_text'), text: z.string() })).nullish(),
});

const textPart = z.looseObject({ type: z.string(), text: z.string() });
const refusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
const imagePart = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high']).nullish(),
});
const filePart = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});

export interface ConvertedInput {
  messages: ChatMessage[];
  /** The items in their full form (`type` and an `id` on each), as `GET …/input_items` lists them. */
  items: Record<string, unknown>[];
}

/** `input` as a string or an item list → canonical messages and normalised items. */
export function convertInput(input: string | unknown[], newId: (prefix: string) => string): ConvertedInput {
  if (typeof input === 'string') {
    return {
      messages: [{ role: 'user', content: input }],
      items: [{ type: 'message', id: newId('msg'), role: 'user', content: [{ type: 'input_text', text: input }] }],
    };
  }
  const turns = new TurnBuilder();
  const items: Record<string, unknown>[] = [];
  input.forEach((raw, i) => {
    const at = ['input', i];
    const where = formatPath(at);
    const item = checkShape(z.looseObject({ type: z.string().optional() }), raw, at);
    const type = item.type ?? 'message';
    switch (type) {
      case 'message': {
        const m = checkShape(messageItem, raw, at);
        if (m.role === 'assistant') turns.assistantText(assistantText(m.content, [...at, 'content']));
        else turns.push({ role: m.role, content: userContent(m.content, m.role, [...at, 'content']) });
        items.push({ ...m, type: 'message', id: m.id ?? newId('msg'), content: normalisedContent(m.content, m.role) });
        return;
      }
      case 'function_call': {
        const c = checkShape(functionCallItem, raw, at);
        turns.toolCall({ id: c.call_id, type: 'function', function: { name: c.name, arguments: c.arguments } });
        items.push({ ...c, id: c.id ?? newId('fc') });
        return;
      }
      case 'function_call_output': {
        const o = checkShape(functionCallOutputItem, raw, at);
        turns.push({ role: 'tool', tool_call_id: o.call_id, content: typeof o.output === 'string' ? o.output : userContent(o.output, 'tool', [...at, 'output']) });
        items.push({ ...o, id: o.id ?? newId('fco') });
        return;
      }
      case 'reasoning': {
        const r = checkShape(reasoningItem, raw, at);
        // Raw reasoning text when the client kept it, else the summary: either way the model's own
        // earlier thinking, which adapters replay or strip per vendor (CATALOG.md Appendix A).
        const texts = r.content?.length ? r.content.map((c) => c.text) : r.summary.map((s) => s.text);
        turns.reasoning(texts.join('\n\n'));
        items.push({ ...r, id: r.id ?? newId('rs') });
        return;
      }
      case 'item_reference':
        throw unsupported(`${where}: item references are not supported; send the item itself, or chain with previous_response_id.`, `${where}.type`);
      default:
        throw unsupported(`${where}: input items of type '${type}' are not supported (built-in tool calls have no counterpart on other models).`, `${where}.type`);
    }
  });
  return { messages: turns.finish(), items };
}

/** Folds assistant-side items (reasoning, text, function calls) of one turn into one message. */
class TurnBuilder {
  private readonly messages: ChatMessage[] = [];
  private pending: ChatMessage | undefined;

  reasoning(text: string): void {
    if (this.pending && (this.pending.content !== null || this.pending.tool_calls)) this.flush();
    if (!this.pending) this.pending = { role: 'assistant', content: null };
    this.pending.reasoning_content = this.pending.reasoning_content ? `${this.pending.reasoning_content}\n\n${text}` : text;
  }

  assistantText(text: string): void {
    // Text after function calls starts a new turn: chat puts text before calls on one message.
    if (this.pending?.tool_calls) this.flush();
    if (!this.pending) this.pending = { role: 'assistant', content: null };
    this.pending.content = typeof this.pending.content === 'string' ? this.pending.content + text : text;
  }

  toolCall(call: ToolCall): void {
    if (!this.pending) this.pending = { role: 'assistant', content: null };
    (this.pending.tool_calls ??= []).push(call);
  }

  push(message: ChatMessage): void {
    this.flush();
    this.messages.push(message);
  }

  finish(): ChatMessage[] {
    this.flush();
    return this.messages;
  }

  /** A turn that holds only reasoning says nothing a model can continue from: it is dropped. */
  private flush(): void {
    const p = this.pending;
    this.pending = undefined;
    if (p && (p.content !== null || p.tool_calls)) this.messages.push(p);
  }
}

function assistantText(content: string | { type: string }[], at: PropertyKey[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((raw, j) => {
      if (raw.type === 'refusal') return checkShape(refusalPart, raw, [...at, j]).refusal;
      if (raw.type === 'output_text' || raw.type === 'input_text') return checkShape(textPart, raw, [...at, j]).text;
      const where = formatPath([...at, j]);
      throw invalidRequest(`${where}: an assistant message holds output_text or refusal parts, not '${raw.type}'.`, `${where}.type`);
    })
    .join('');
}

/** User, system, developer and tool content → canonical parts (one text part collapses to a string). */
function userContent(content: string | { type: string }[], role: string, at: PropertyKey[]): string | ContentPart[] {
  if (typeof content === 'string') return content;
  const parts = content.map((raw, j) => contentPart(raw, role, [...at, j]));
  return parts.length === 1 && parts[0]!.type === 'text' ? (parts[0] as { text: string }).text : parts;
}

function contentPart(raw: { type: string }, role: string, at: PropertyKey[]): ContentPart {
  const where = formatPath(at);
  switch (raw.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: checkShape(textPart, raw, at).text };
    case 'input_image': {
      const img = checkShape(imagePart, raw, at);
      if (role !== 'user' && role !== 'tool') throw invalidRequest(`${where}: images are accepted in user messages and tool outputs only.`, `${where}.type`);
      if (!img.image_url) {
        if (img.file_id) throw unsupported(`${where}: input_image by file_id is not supported (Baimo has no Files API); send image_url as an https or data: URL.`, `${where}.file_id`);
        throw invalidRequest(`${where}: input_image needs image_url.`, `${where}.image_url`);
      }
      return { type: 'image_url', image_url: { url: img.image_url, ...(img.detail ? { detail: img.detail } : {}) } };
    }
    case 'input_file': {
      const file = checkShape(filePart, raw, at);
      if (!file.file_data) {
        const param = file.file_id ? `${where}.file_id` : `${where}.file_url`;
        throw unsupported(`${where}: input_file by file_id or file_url is not supported (Baimo has no Files API); send file_data.`, param);
      }
      return { type: 'file', file: { file_data: file.file_data, ...(file.filename ? { filename: file.filename } : {}) } };
    }
    default:
      throw unsupported(`${where}: content parts of type '${raw.type}' are not supported.`, `${where}.type`);
  }
}

/** Content as the API lists it back: always a part array (`input_text`, or `output_text` for the assistant). */
function normalisedContent(content: string | { type: string }[], role: string): unknown[] {
  if (typeof content !== 'string') return content;
  return role === 'assistant' ? [{ type: 'output_text', text: content, annotations: [] }] : [{ type: 'input_text', text: content }];
}
