import type { z } from 'zod';
import { invalidRequest } from './errors.js';

/**
 * Edge validation shared by the surface codecs (OpenAI, Anthropic): a body is checked once with
 * zod and the first problem becomes a 400 that names the parameter, in the path form OpenAI uses
 * in `error.param` (`messages[0].content[1].image_url.url`).
 *
 * @example const req = validateBody(chatSchema, request.body);
 */
export function validateBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_request');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = formatPath(issue.path);
  const missing = issue.code === 'invalid_type' && (body as Record<string, unknown>)[String(issue.path[0])] === undefined && issue.path.length === 1;
  const message = missing ? `Missing required parameter: '${param}'.` : `Invalid value for '${param}': ${issue.message}.`;
  throw invalidRequest(message, param, missing ? 'missing_required_parameter' : 'invalid_value');
}

/** `messages[0].content[1].image_url.url` — the form OpenAI uses in `error.param`. */
export function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(body)';
}

/** Split a validated body into the fields a codec knows and the rest (passed through as `extra`). */
export function splitKnown(obj: Record<string, unknown>, known: Set<string>): { known: Record<string, unknown>; extra: Record<string, unknown> } {
  const extra: Record<string, unknown> = {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) (known.has(key) ? kept : extra)[key] = value;
  return { extra, known: kept };
}
