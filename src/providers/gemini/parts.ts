import type { ToolCall } from '../../protocol/chat.js';
import type { DecodeContext } from '../adapter.js';
import type { GeminiPart } from './wire.js';

/**
 * One response part, as both the parser and the stream decoder see it (CATALOG.md §4.1):
 *  - `thought: true` text is reasoning (a thought summary, returned with `includeThoughts`);
 *  - `functionCall` becomes an OpenAI tool call. Gemini calls have no ids on older models, so the
 *    id is always synthesised (`ctx.newId('call')`) and the request builder maps it back to the
 *    function's name; `args` is an object, serialised into the `arguments` string;
 *  - the part's `thoughtSignature` (Gemini 3) is stored on the tool call, to be replayed verbatim.
 *    A signature on a text or thought part is not kept: §4.1 makes only function-call signatures
 *    mandatory on replay, and a message-level one has no field on a stream delta to travel in;
 *  - any other part (inline image output, code execution) has no OpenAI form and yields nothing.
 */
export type ReadPart =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool_call'; call: ToolCall };

export function readPart(part: GeminiPart, ctx: DecodeContext): ReadPart | undefined {
  if (part.functionCall) {
    const call: ToolCall = {
      id: ctx.newId('call'),
      type: 'function',
      function: { name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) },
    };
    const providerData = signatureProviderData(part.thoughtSignature ?? undefined);
    if (providerData) call.provider_data = providerData;
    return { kind: 'tool_call', call };
  }
  if (typeof part.text === 'string' && part.text !== '') {
    return { kind: part.thought ? 'reasoning' : 'text', text: part.text };
  }
  return undefined;
}

/**
 * Thought signatures live in `provider_data.gemini.thought_signature`, keyed by family so that a
 * history moved to another provider does not carry them there (§4.1: a signature only validates
 * on the route that issued it).
 */
export function signatureProviderData(signature: string | undefined): Record<string, unknown> | undefined {
  return signature ? { gemini: { thought_signature: signature } } : undefined;
}

export function readThoughtSignature(providerData: Record<string, unknown> | undefined): string | undefined {
  const gemini = providerData?.gemini;
  if (typeof gemini !== 'object' || gemini === null) return undefined;
  const signature = (gemini as Record<string, unknown>).thought_signature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}
