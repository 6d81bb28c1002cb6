import type { ToolCall } from '../../protocol/chat.js';
import type { ToolCallDelta } from '../../protocol/stream-events.js';
import { asArray, asNonEmptyString, asNumber, asObject, asString } from './loose-json.js';

/**
 * Tool calls in both directions of reading (CATALOG.md §1.2, §1.3). `arguments` stays a string
 * and is never parsed (§1.2: it may be invalid JSON); a vendor that sends an object gets it
 * stringified.
 */

export function readToolCalls(value: unknown, newId: (prefix: string) => string): ToolCall[] | undefined {
  const calls = asArray(value);
  if (!calls || calls.length === 0) return undefined;
  return calls.map((raw) => {
    const call = asObject(raw) ?? {};
    const fn = asObject(call.function) ?? {};
    return {
      id: asNonEmptyString(call.id) ?? newId('call'),
      type: 'function',
      function: { name: asString(fn.name) ?? '', arguments: argumentsText(fn.arguments) ?? '' },
    };
  });
}

/**
 * Stream fragments: `id`/`name` come on a call's first fragment, `arguments` pieces after;
 * missing or `null` fields mean "no change" (Appendix A "null fields in deltas"). A fragment
 * without `index` takes its position in the array.
 */
export function readToolCallDeltas(value: unknown): ToolCallDelta[] | undefined {
  const fragments = asArray(value);
  if (!fragments || fragments.length === 0) return undefined;
  return fragments.map((raw, position) => {
    const fragment = asObject(raw) ?? {};
    const fn = asObject(fragment.function) ?? {};
    const delta: ToolCallDelta = { index: asNumber(fragment.index) ?? position };
    const id = asNonEmptyString(fragment.id);
    if (id !== undefined) delta.id = id;
    const name = asNonEmptyString(fn.name);
    if (name !== undefined) delta.name = name;
    const args = argumentsText(fn.arguments);
    if (args !== undefined) delta.arguments = args;
    return delta;
  });
}

function argumentsText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return undefined;
  return JSON.stringify(value);
}
