import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { SseMessage } from './adapter.js';

/**
 * Incremental SSE framing over the `eventsource-parser` library: feed it raw chunks as they
 * arrive, get whole messages back. Tolerates what CATALOG.md Appendix A lists: comment lines
 * (`: keep-alive`, `:HTTP_STATUS/200`), `event:` lines, `data:` without a space, missing `[DONE]`.
 */
export interface SseFramer {
  /** Feed a chunk of text; returns the messages completed by it. */
  feed(chunk: string): SseMessage[];
  /** Flush at end of body (a final message without the trailing blank line). */
  flush(): SseMessage[];
}

export function createSseFramer(): SseFramer {
  let pending: SseMessage[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      pending.push({ event: message.event, data: message.data, id: message.id });
    },
  });
  const take = () => {
    const out = pending;
    pending = [];
    return out;
  };
  return {
    feed(chunk) {
      parser.feed(chunk);
      return take();
    },
    flush() {
      // A message not terminated by a blank line is still complete at EOF for our purposes.
      parser.feed('\n\n');
      return take();
    },
  };
}
