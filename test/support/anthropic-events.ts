/**
 * Anthropic Messages SSE in tests: parse a stream's text into named events, and check their order
 * against CATALOG.md §3 —
 *   message_start; per block content_block_start(i) → content_block_delta(i)* → content_block_stop(i)
 *   with i = 0, 1, 2…; message_delta; message_stop — `ping` anywhere after message_start, and an
 *   `error` event ending the stream at any point after it.
 */

export interface SseEvent {
  event: string;
  data: any;
}

export function parseSse(text: string): SseEvent[] {
  return text
    .split(/\n\n+/)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const lines = chunk.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) };
    });
}

const DELTAS: Record<string, string[]> = {
  text: ['text_delta', 'citations_delta'],
  thinking: ['thinking_delta', 'signature_delta'],
  tool_use: ['input_json_delta'],
  server_tool_use: ['input_json_delta'],
};

/**
 * Throws, naming the first event out of place, unless the events follow §3. Returns the block types
 * in order and how the stream ended.
 */
export function checkEventOrder(events: SseEvent[]): { blocks: string[]; ended: 'message_stop' | 'error' } {
  const named = events.filter((e) => e.event !== 'ping');
  const fail = (i: number, why: string): never => {
    throw new Error(`event #${i} (${named[i]?.event ?? 'end of stream'}): ${why}\n${named.map((e) => e.event).join(' → ')}`);
  };
  if (events[0]?.event !== 'message_start') fail(0, 'the stream must open with message_start');
  for (const e of events) if (e.event !== e.data?.type) throw new Error(`event '${e.event}' carries data of type '${e.data?.type}'`);
  const blocks: string[] = [];
  let open: { index: number; type: string } | undefined;
  for (let i = 1; i < named.length; i++) {
    const { event, data } = named[i]!;
    if (event === 'error') {
      if (i !== named.length - 1) fail(i + 1, 'nothing may follow an error event');
      return { blocks, ended: 'error' };
    }
    switch (event) {
      case 'content_block_start':
        if (open) fail(i, `block ${open.index} is still open`);
        if (data.index !== blocks.length) fail(i, `expected index ${blocks.length}, got ${data.index}`);
        open = { index: data.index, type: data.content_block?.type };
        blocks.push(open.type);
        break;
      case 'content_block_delta':
        if (!open || data.index !== open.index) fail(i, 'a delta outside its open block');
        if (DELTAS[open!.type] && !DELTAS[open!.type]!.includes(data.delta?.type)) fail(i, `${data.delta?.type} in a ${open!.type} block`);
        break;
      case 'content_block_stop':
        if (!open || data.index !== open.index) fail(i, 'stop of a block that is not open');
        open = undefined;
        break;
      case 'message_delta':
        if (open) fail(i, `block ${open.index} is still open`);
        if (named[i + 1]?.event !== 'message_stop' || i + 2 !== named.length) fail(i + 1, 'message_delta must be followed by message_stop, which ends the stream');
        return { blocks, ended: 'message_stop' };
      default:
        fail(i, 'unexpected event');
    }
  }
  return fail(named.length, 'the stream ended without message_delta and message_stop');
}
