import type { ApiClient } from './client';

/**
 * One streaming chat completion from the Playground, measured from the browser: time to the first
 * token, total latency, and the usage the server reports in its last chunk
 * (`stream_options.include_usage`). A console user calls as one of their orgs (`x-baimo-org`);
 * the operator's client carries the master key.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  tools?: unknown[];
}

export interface ChatRun {
  text: string;
  /** Tool calls the model asked for, as streamed (arguments concatenated). */
  toolCalls: { name: string; arguments: string }[];
  ttftMs: number | null;
  latencyMs: number;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
}

export interface StreamChatInput {
  api: ApiClient;
  model: string;
  messages: ChatMessage[];
  params: ChatParams;
  orgId?: string;
  signal?: AbortSignal;
  /** Called with the text so far as deltas arrive. */
  onText: (text: string) => void;
  now?: () => number;
}

interface ChunkDelta {
  content?: string | null;
  tool_calls?: { index: number; function?: { name?: string; arguments?: string } }[];
}

interface Chunk {
  choices?: { delta?: ChunkDelta }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  error?: { message?: string };
}

export async function streamChat(input: StreamChatInput): Promise<ChatRun> {
  const now = input.now ?? (() => performance.now());
  const started = now();
  const response = await input.api.fetch('/v1/chat/completions', {
    method: 'POST',
    signal: input.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(input.orgId ? { 'x-baimo-org': input.orgId } : {}) },
    body: JSON.stringify({ model: input.model, messages: input.messages, stream: true, stream_options: { include_usage: true }, ...input.params }),
  });
  const run: ChatRun = { text: '', toolCalls: [], ttftMs: null, latencyMs: 0, usage: null };
  await readSseData(response, (data) => {
    applyChunk(run, JSON.parse(data) as Chunk, () => (run.ttftMs ??= now() - started));
    input.onText(run.text);
  });
  run.latencyMs = now() - started;
  return run;
}

/** Calls `onData` with each server-sent event's data (its `data:` lines joined), until `[DONE]` or the end. */
export async function readSseData(response: Response, onData: (data: string) => void): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
      const data = frame
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data || data === '[DONE]') continue;
      onData(data);
    }
  }
}

function applyChunk(run: ChatRun, chunk: Chunk, firstToken: () => void): void {
  if (chunk.error) throw new Error(chunk.error.message ?? 'stream error');
  if (chunk.usage) run.usage = chunk.usage;
  const delta = chunk.choices?.[0]?.delta;
  if (!delta) return;
  if (delta.content) {
    firstToken();
    run.text += delta.content;
  }
  for (const call of delta.tool_calls ?? []) {
    firstToken();
    const slot = (run.toolCalls[call.index] ??= { name: '', arguments: '' });
    slot.name += call.function?.name ?? '';
    slot.arguments += call.function?.arguments ?? '';
  }
}

/** Cost of a call at the model's list price (per 1M tokens); null when the model has no price. */
export function costOf(usage: ChatRun['usage'], price: { input: number; output: number } | null | undefined): number | null {
  if (!usage || !price) return null;
  return (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000;
}
