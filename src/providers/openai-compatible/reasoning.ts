import { asArray, asNonEmptyString, asObject, type JsonObject } from './loose-json.js';
import type { ReasoningSpec } from './vendors.js';

/**
 * Reads reasoning text from a message or delta, wherever the vendor puts it (Appendix A
 * "reasoning text field"): the first non-empty field of `spec.fields`, then MiniMax
 * `reasoning_details[].text` (§13). Inline `<think>` tags are handled by `think-tags.ts`.
 */
export function readReasoning(source: JsonObject, spec: ReasoningSpec): string | undefined {
  for (const field of spec.fields) {
    const text = asNonEmptyString(source[field]);
    if (text !== undefined) return text;
  }
  if (!spec.details) return undefined;
  const parts = (asArray(source.reasoning_details) ?? [])
    .map((detail) => asNonEmptyString(asObject(detail)?.text))
    .filter((text): text is string => text !== undefined);
  return parts.length > 0 ? parts.join('') : undefined;
}
