import { upstreamError, type BaimoError } from '../../protocol/errors.js';
import type { UpstreamFailure } from '../adapter.js';
import { classOfCode, classOfStatus, saysContextTooLong } from './error-codes.js';
import { parseErrorBody, sanitizeUpstreamMessage, type ParsedUpstreamError } from './error-body.js';
import type { ErrorClass, InBodyError, VendorEntry } from './vendors.js';

/**
 * Upstream failures → BaimoError (CATALOG.md Appendix B). Classification order: the vendor's
 * code, then its type (vendor table first, then generic), then the HTTP status (with context
 * overflow recognised by message). The class decides the client status, the stable `code` and
 * the router's `failure`.
 */

/** A non-2xx upstream response. */
export function mapError(vendor: VendorEntry, failure: UpstreamFailure): BaimoError {
  const parsed = parseErrorBody(failure.body);
  return toBaimoError(vendor, failure.status, parsed, retryAfterSeconds(failure.headers) ?? parsed.retryAfter);
}

/** An error object inside a 2xx body or a `data: {"error":…}` stream frame: no HTTP status, so use the one the body states, else 500. */
export function mapEmbeddedError(vendor: VendorEntry, parsed: ParsedUpstreamError): BaimoError {
  return toBaimoError(vendor, parsed.statusHint ?? 500, parsed, parsed.retryAfter);
}

/** An error reported inside a 2xx body or chunk (MiniMax `base_resp`, Spark `code`). */
export function mapBodyError(vendor: VendorEntry, error: InBodyError): BaimoError {
  return toBaimoError(vendor, 200, { shape: 'base-resp', message: error.message, code: error.code }, undefined);
}

/** `status` is the HTTP status of a failed response, or the one an embedded error states (see above). */
export function classifyUpstreamError(vendor: VendorEntry, status: number, parsed: ParsedUpstreamError): ErrorClass {
  const errorClass =
    classOfCode(vendor, parsed.code) ?? classOfCode(vendor, parsed.type) ?? classOfStatus(status, parsed.message);
  // Generic "validation" codes (TGI `error_type:"validation"`, §22) still deserve the precise code.
  if (errorClass === 'invalid_request' && saysContextTooLong(parsed.message)) return 'context_length';
  // An overload answered with 429 is a "wait, then retry" (Appendix B puts Kimi's and TGI's in the rate-limit row).
  if (errorClass === 'overloaded' && status === 429) return 'rate_limited';
  return errorClass;
}

function toBaimoError(
  vendor: VendorEntry,
  status: number,
  parsed: ParsedUpstreamError,
  retryAfter: number | undefined,
): BaimoError {
  const errorClass = classifyUpstreamError(vendor, status, parsed);
  const message = sanitizeUpstreamMessage(parsed.message) || `Upstream request failed (HTTP ${status}).`;
  const param = parsed.param ?? null;
  switch (errorClass) {
    case 'rate_limited':
      return upstreamError(message, { status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', failure: 'rate_limited', retryAfter });
    case 'quota':
      return upstreamError(message, { status: 429, code: 'insufficient_quota', type: 'insufficient_quota', failure: 'quota' });
    case 'overloaded':
      return upstreamError(message, { status: 503, code: 'overloaded', type: 'server_error', failure: 'transient', retryAfter });
    case 'content_filter':
      return upstreamError(message, { status: 400, code: 'content_filter', type: 'invalid_request_error', failure: 'caller', param });
    case 'context_length':
      return upstreamError(message, { status: 400, code: 'context_length_exceeded', type: 'invalid_request_error', failure: 'caller', param });
    case 'invalid_request':
      return upstreamError(message, { status: 400, code: 'invalid_request', type: 'invalid_request_error', failure: 'caller', param });
    case 'not_found':
      return upstreamError(message, { status: 404, code: 'model_not_found', type: 'invalid_request_error', failure: 'not_found' });
    case 'auth':
      // The operator's key, not the tenant's: a 502, and the upstream text (which may quote the key) stays out.
      return upstreamError('The upstream provider rejected the credentials configured for this deployment.', {
        status: 502,
        code: 'upstream_auth_error',
        type: 'server_error',
        failure: 'credential',
      });
    case 'server': {
      const timedOut = status === 504 || status === 408;
      return upstreamError(message, {
        status: timedOut ? 504 : 502,
        code: timedOut ? 'upstream_timeout' : 'upstream_error',
        type: 'server_error',
        failure: 'transient',
        retryAfter,
      });
    }
  }
}

/** `retry-after-ms` (Azure, §2) wins over `retry-after` (seconds); HTTP-date values are ignored. */
export function retryAfterSeconds(headers: UpstreamFailure['headers']): number | undefined {
  const ms = numericHeader(headers, 'retry-after-ms');
  if (ms !== undefined) return Math.ceil(ms / 1000);
  const seconds = numericHeader(headers, 'retry-after');
  return seconds === undefined ? undefined : Math.ceil(seconds);
}

/** A header's value as a non-negative number; names match case-insensitively, arrays give their first value. */
function numericHeader(headers: UpstreamFailure['headers'], name: string): number | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = (Array.isArray(value) ? value[0] : value)?.trim();
    const parsed = first ? Number(first) : Number.NaN;
    if (Number.isFinite(parsed) && parsed >= 0) return parsed;
  }
  return undefined;
}
