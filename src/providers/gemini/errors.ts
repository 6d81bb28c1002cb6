import type { BaimoError } from '../../protocol/errors.js';
import type { UpstreamFailure } from '../adapter.js';
import { classifiedError, type AppendixBRow } from '../classified-error.js';
import { retryAfterFromHeaders } from '../retry-after.js';
import { sanitizeUpstreamMessage } from '../sanitize-upstream-message.js';
import { ErrorObjectSchema, type GeminiErrorObject } from './wire.js';

/**
 * Gemini errors (CATALOG.md §4.1) → Appendix B rows. The body is
 * `{"error":{code,message,status,details}}`, sometimes wrapped in a one-element array (§4.2; seen
 * on the native route too behind some proxies, so both are read). The gRPC `status` name decides,
 * the HTTP status stands in when there is none, and `details` refine it:
 *  - `ErrorInfo.reason: API_KEY_INVALID` arrives as a 400 INVALID_ARGUMENT, but it is the
 *    operator's key, not the caller's request: a credential failure;
 *  - `RetryInfo.retryDelay` ("30s") is the wait to honour, ahead of any `retry-after` header.
 */
export function mapGeminiError(failure: UpstreamFailure): BaimoError {
  return geminiError(readErrorBody(failure.body), {
    httpStatus: failure.status,
    retryAfter: retryAfterFromHeaders(failure.headers),
  });
}

/** Shared with the stream decoder, whose in-stream `error` chunks carry the same object. */
export function geminiError(
  error: GeminiErrorObject | undefined,
  context: { httpStatus?: number; retryAfter?: number } = {},
): BaimoError {
  const httpStatus = context.httpStatus ?? error?.code ?? undefined;
  const message = error?.message ?? '';
  const row = rowFor(error?.status ?? statusNameFor(httpStatus), errorInfoReason(error), message, httpStatus);
  return classifiedError(row, {
    message: message === '' ? undefined : sanitizeUpstreamMessage(message, VENDOR_NAMES),
    retryAfter: retryDelaySeconds(error) ?? context.retryAfter,
    status: row === 'invalid_request' && httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500 ? httpStatus : undefined,
  });
}

const VENDOR_NAMES = ['Google AI Studio', 'Google', 'Gemini', 'Generative Language API'];

const CREDENTIAL_REASONS = new Set(['API_KEY_INVALID']);

function rowFor(status: string | undefined, reason: string | undefined, message: string, httpStatus: number | undefined): AppendixBRow {
  if (reason && CREDENTIAL_REASONS.has(reason)) return 'credential';
  switch (status) {
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
      return 'credential';
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limit';
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return /exceeds the maximum number of tokens|input token count/i.test(message) ? 'context_length' : 'invalid_request';
    case 'NOT_FOUND':
      return 'model_not_found';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    default:
      if (httpStatus === 413) return 'request_too_large';
      return httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500 ? 'invalid_request' : 'server_error';
  }
}

const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [400, 'INVALID_ARGUMENT'],
  [401, 'UNAUTHENTICATED'],
  [403, 'PERMISSION_DENIED'],
  [404, 'NOT_FOUND'],
  [429, 'RESOURCE_EXHAUSTED'],
  [500, 'INTERNAL'],
  [503, 'UNAVAILABLE'],
  [504, 'DEADLINE_EXCEEDED'],
]);

function statusNameFor(httpStatus: number | undefined): string | undefined {
  return httpStatus === undefined ? undefined : STATUS_NAMES.get(httpStatus);
}

function errorInfoReason(error: GeminiErrorObject | undefined): string | undefined {
  return error?.details?.find((d) => d['@type']?.endsWith('google.rpc.ErrorInfo'))?.reason ?? undefined;
}

/** `RetryInfo.retryDelay` is a protobuf Duration in JSON: "30s", "1.5s". */
function retryDelaySeconds(error: GeminiErrorObject | undefined): number | undefined {
  const delay = error?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  if (typeof delay !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
  return match ? Math.ceil(Number(match[1])) : undefined;
}

function readErrorBody(body: string): GeminiErrorObject | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const wrapper = Array.isArray(json) ? json[0] : json;
  const error = (wrapper as { error?: unknown } | null | undefined)?.error;
  const parsed = ErrorObjectSchema.safeParse(error);
  return parsed.success ? parsed.data : undefined;
}
