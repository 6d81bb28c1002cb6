import { invalidRequest } from '../protocol/errors.js';

/**
 * Turn an OpenAI tool-call `arguments` string into the JSON object that native wire formats
 * require (Anthropic `tool_use.input`, Gemini `functionCall.args`: CATALOG.md §3, §4.1).
 *
 * OpenAI itself never parses `arguments` (§1.2), so a history can carry invalid JSON; a native
 * upstream cannot take it, and the caller must learn which message is wrong: a 400 naming `param`.
 * An empty string means "no arguments" (a tool without parameters) and becomes `{}`.
 *
 * @example parseToolArguments('{"city":"Paris"}', 'messages[1].tool_calls[0].function.arguments')
 */
export function parseToolArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(`${param} is not valid JSON; this model needs tool-call arguments as a JSON object.`, param);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest(`${param} must be a JSON object.`, param);
  }
  return value as Record<string, unknown>;
}
