import type { FinishReason } from '../protocol/chat.js';

/**
 * A native API's stop reasons → OpenAI `finish_reason`, from the adapter's table. No reason yet is
 * `null`; an unknown future reason is passed on as written rather than disguised as one we know.
 */
export function stopReasonMapper(table: Readonly<Record<string, FinishReason>>): (reason: string | null | undefined) => FinishReason | null {
  return (reason) => {
    if (reason === null || reason === undefined) return null;
    return Object.hasOwn(table, reason) ? table[reason]! : reason;
  };
}
