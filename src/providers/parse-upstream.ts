import type { z } from 'zod';
import { BaimoError } from '../protocol/errors.js';

/**
 * Tolerant validation of upstream bodies (STYLE.md, vercel/ai "Tolerant parsing"): adapters
 * describe the fields they read with loose zod schemas (extra fields kept, optional fields
 * nullish), and a body that does not fit becomes one typed, retryable 502 instead of a crash
 * deep inside a transform. The message names the offending path, never the upstream's content.
 */
export function parseUpstream<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw malformedUpstreamBody(`${what} does not have the expected shape${where}`, result.error);
}

/** `JSON.parse` + `parseUpstream`, for SSE `data:` payloads and raw bodies. */
export function parseUpstreamJson<T extends z.ZodType>(schema: T, text: string, what: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw malformedUpstreamBody(`${what} is not valid JSON`, cause);
  }
  return parseUpstream(schema, value, what);
}

/** The upstream answered 2xx with something we cannot read: its fault, worth a retry elsewhere. */
export function malformedUpstreamBody(detail: string, cause?: unknown): BaimoError {
  return new BaimoError('upstream', `Upstream returned a malformed response: ${detail}.`, {
    status: 502,
    code: 'upstream_malformed_response',
    retryable: true,
    failure: 'transient',
    cause,
  });
}
