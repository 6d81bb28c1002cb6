import type { ChatMessage, ChatRequest, ChatResponse } from '../protocol/chat.js';
import type { StreamEvent } from '../protocol/stream-events.js';

/**
 * Replay data that providers require back verbatim in later turns, but that OpenAI-surface
 * clients never see or send: Gemini 3 `thoughtSignature`s on function calls (a missing one is a
 * 400, CATALOG.md §4.1) and Anthropic thinking signatures in tool loops (§3). Stored per tool
 * call id when a response carries them, restored into the assistant message when the client
 * sends that tool call back. Bounded LRU in memory, scoped per tenant; a replica that did not
 * see the response cannot restore it (the adapters then fall back as CATALOG.md describes).
 */
export class ReplayStore {
  private readonly entries = new Map<string, Record<string, unknown>>();

  constructor(private readonly capacity = 20_000) {}

  /** Fill in replay data the client dropped. Returns the request unchanged when nothing applies. */
  restore(req: ChatRequest, scope: string): ChatRequest {
    if (this.entries.size === 0) return req;
    let changed = false;
    const messages = req.messages.map((m) => {
      if (m.role !== 'assistant' || !m.tool_calls?.length) return m;
      const firstId = m.tool_calls[0]!.id;
      const messageData = m.provider_data ?? this.get(`${scope}|msg|${firstId}`);
      let callsChanged = false;
      const tool_calls = m.tool_calls.map((tc) => {
        if (tc.provider_data) return tc;
        const data = this.get(`${scope}|call|${tc.id}`);
        if (!data) return tc;
        callsChanged = true;
        return { ...tc, provider_data: data };
      });
      if (!callsChanged && messageData === m.provider_data) return m;
      changed = true;
      return { ...m, tool_calls, ...(messageData ? { provider_data: messageData } : {}) } as ChatMessage;
    });
    return changed ? { ...req, messages } : req;
  }

  rememberResponse(res: ChatResponse, scope: string): void {
    for (const choice of res.choices) this.rememberMessage(choice.message, scope);
  }

  /** A tap for streamed responses: feed every event, then call `done()` once the stream ended. */
  streamRecorder(scope: string): { observe(e: StreamEvent): void; done(): void } {
    const calls = new Map<string, { id?: string; data?: Record<string, unknown> }>();
    const messageData = new Map<number, Record<string, unknown>>();
    return {
      observe: (e) => {
        if (e.type !== 'delta') return;
        if (e.provider_data) messageData.set(e.index, { ...messageData.get(e.index), ...e.provider_data });
        for (const tc of e.tool_calls ?? []) {
          const key = `${e.index}:${tc.index}`;
          const entry = calls.get(key) ?? {};
          if (tc.id) entry.id = tc.id;
          if (tc.provider_data) entry.data = { ...entry.data, ...tc.provider_data };
          calls.set(key, entry);
        }
      },
      done: () => {
        const firstIdOfChoice = new Map<number, string>();
        for (const [key, entry] of calls) {
          const [choice, index] = key.split(':').map(Number) as [number, number];
          if (entry.id && index === 0) firstIdOfChoice.set(choice, entry.id);
          if (entry.id && entry.data) this.set(`${scope}|call|${entry.id}`, entry.data);
        }
        for (const [choice, data] of messageData) {
          const firstId = firstIdOfChoice.get(choice);
          if (firstId) this.set(`${scope}|msg|${firstId}`, data);
        }
      },
    };
  }

  private rememberMessage(m: ChatMessage, scope: string): void {
    if (!m.tool_calls?.length) return;
    for (const tc of m.tool_calls) if (tc.provider_data) this.set(`${scope}|call|${tc.id}`, tc.provider_data);
    if (m.provider_data) this.set(`${scope}|msg|${m.tool_calls[0]!.id}`, m.provider_data);
  }

  private get(key: string): Record<string, unknown> | undefined {
    const value = this.entries.get(key);
    if (value) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  private set(key: string, value: Record<string, unknown>): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
