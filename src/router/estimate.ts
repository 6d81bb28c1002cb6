import type { ChatRequest } from '../protocol/chat.js';

/**
 * Rough token estimates for admission (TPM caps reserve before the call and settle on the
 * upstream's real usage afterwards). ~4 characters per token for Latin text and ~1 per CJK
 * character; good enough to reserve, never used for billing.
 */
export function estimateTextTokens(input: unknown): number {
  if (typeof input === 'string') return countTokens(input);
  if (typeof input === 'number') return 1;
  // Plain loops: no array of values allocated per object (this runs on every call, twice).
  if (Array.isArray(input)) {
    let sum = 0;
    for (let i = 0; i < input.length; i++) sum += estimateTextTokens(input[i]);
    return sum;
  }
  if (input && typeof input === 'object') {
    let sum = 0;
    for (const key in input) if (Object.hasOwn(input, key)) sum += estimateTextTokens((input as Record<string, unknown>)[key]);
    return sum;
  }
  return 0;
}

export function estimateChatTokens(req: ChatRequest): number {
  const prompt = estimateTextTokens(req.messages) + 4 * req.messages.length;
  const output = req.max_completion_tokens ?? req.max_tokens ?? 0;
  return prompt + output;
}

function countTokens(text: string): number {
  let cjk = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x2e80 && code <= 0x9fff) cjk += 1;
  }
  return cjk + Math.ceil((text.length - cjk) / 4);
}
