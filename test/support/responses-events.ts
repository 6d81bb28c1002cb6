import { expect } from 'vitest';

/**
 * The Responses stream grammar of CATALOG.md §1.4, as a test oracle: `response.created`, then
 * `response.in_progress`, then the output items — each opened by `output_item.added` and closed by
 * `output_item.done`, with its parts and deltas in between — and exactly one terminal event
 * (`completed`, `incomplete` or `failed`) at the end, with no `[DONE]`. Sequence numbers run
 * 0, 1, 2… and every event names its own type.
 */
export interface StreamedEvent {
  type: string;
  sequence_number: number;
  output_index?: number;
  [key: string]: unknown;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Per item kind: the events between `output_item.added` and `output_item.done`, as a regex over short names. */
const ITEM_BODY: Record<string, RegExp> = {
  message: /^(part\+ (text\+ )*text= part= |part\+ (refusal\+ )*refusal= part= )*$/,
  reasoning: /^(sum\+ (sumtext\+ )*sumtext= sum= )*$/,
  function_call: /^(args\+ )*args= $/,
};

const SHORT: Record<string, string> = {
  'response.content_part.added': 'part+',
  'response.content_part.done': 'part=',
  'response.output_text.delta': 'text+',
  'response.output_text.done': 'text=',
  'response.refusal.delta': 'refusal+',
  'response.refusal.done': 'refusal=',
  'response.reasoning_summary_part.added': 'sum+',
  'response.reasoning_summary_part.done': 'sum=',
  'response.reasoning_summary_text.delta': 'sumtext+',
  'response.reasoning_summary_text.done': 'sumtext=',
  'response.function_call_arguments.delta': 'args+',
  'response.function_call_arguments.done': 'args=',
};

export function expectResponsesGrammar(events: StreamedEvent[]): void {
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  expect(events[0]?.type).toBe('response.created');
  expect(events[1]?.type).toBe('response.in_progress');
  const last = events.at(-1)!;
  expect(TERMINAL.has(last.type), `last event is ${last.type}`).toBe(true);
  expect(events.slice(0, -1).filter((e) => TERMINAL.has(e.type))).toEqual([]);
  const failed = last.type === 'response.failed';

  const items = new Map<number, { kind: string; body: string; done: boolean }>();
  for (const e of events.slice(2, -1)) {
    const index = e.output_index!;
    if (e.type === 'response.output_item.added') {
      expect(index, 'items are added in output order').toBe(items.size);
      items.set(index, { kind: (e.item as { type: string }).type, body: '', done: false });
      continue;
    }
    const item = items.get(index);
    expect(item, `${e.type} for output ${index} before its output_item.added`).toBeDefined();
    expect(item!.done, `${e.type} for output ${index} after its output_item.done`).toBe(false);
    if (e.type === 'response.output_item.done') item!.done = true;
    else item!.body += `${SHORT[e.type] ?? e.type} `;
  }
  for (const [index, item] of items) {
    if (failed && !item.done) continue;
    expect(item.done, `output ${index} was never done`).toBe(true);
    expect(item.body, `events of ${item.kind} output ${index}`).toMatch(ITEM_BODY[item.kind]!);
  }
}

/** Raw SSE text → `{event, data}` pairs; also checks that each `event:` line names the data's type. */
export function parseResponsesSse(text: string): StreamedEvent[] {
  expect(text).not.toContain('[DONE]');
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.+)$/m.exec(block)![1]!) as StreamedEvent;
      expect(data.type).toBe(event);
      return data;
    });
}
