import type { BaimoError } from '../../protocol/errors.js';
import type { UpstreamFailure } from '../adapter.js';
import { classifiedVendorError, type AppendixBRow } from '../classified-error.js';
import { retryAfterFromHeaders } from '../retry-after.js';
import { ErrorBodySchema } from './wire.js';

/**
 * Anthropic errors (CATALOG.md §3) → Appendix B rows. The body is
 * `{"type":"error","error":{"type","message"},"request_id"}`; the error `type` decides, and the
 * HTTP status stands in when the body is not Anthropic's (a proxy's HTML page, a Cloudflare 413).
 */
export function mapAnthropicError(failure: UpstreamFailure): BaimoError {
  const error = readErrorBody(failure.body);
  return anthropicError(error.type ?? typeForStatus(failure.status), error.message, {
    status: failure.status,
    retryAfter: retryAfterFromHeaders(failure.headers),
  });
}

/** Shared with the stream decoder, whose mid-stream `error` events carry the same object without a status. */
export function anthropicError(
  type: string,
  message: string | undefined,
  context: { status?: number; retryAfter?: number } = {},
): BaimoError {
  return classifiedVendorError(rowFor(type, message ?? ''), { message, ...context }, VENDOR_NAMES);
}

const VENDOR_NAMES = ['Anthropic', 'Claude'];

function rowFor(type: string, message: string): AppendixBRow {
  switch (type) {
    case 'invalid_request_error':
      // §3: a reached spend limit and an empty credit balance also come as invalid_request_error.
      if (/credit balance|spend(ing)? limit|usage limits?/i.test(message)) return 'quota';
      if (/prompt is too long|context (window|length)/i.test(message)) return 'context_length';
      return 'invalid_request';
    case 'authentication_error':
    case 'permission_error':
      return 'credential';
    case 'billing_error':
      return 'quota';
    case 'not_found_error':
      return 'model_not_found';
    case 'request_too_large':
      return 'request_too_large';
    case 'rate_limit_error':
      return 'rate_limit';
    case 'overloaded_error':
      return 'overloaded';
    case 'timeout_error':
      return 'timeout';
    default:
      // api_error, conflict_error (§3 calls 409 retryable) and anything new.
      return 'server_error';
  }
}

function typeForStatus(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 409:
      return 'conflict_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

function readErrorBody(body: string): { type?: string; message?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  const parsed = ErrorBodySchema.safeParse(json);
  if (!parsed.success || !parsed.data.error) return {};
  return { type: parsed.data.error.type ?? undefined, message: parsed.data.error.message ?? undefined };
}
