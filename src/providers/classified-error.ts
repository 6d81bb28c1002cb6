import { upstreamError, type BaimoError, type FailureClass } from '../protocol/errors.js';
import { sanitizeUpstreamMessage } from './sanitize-upstream-message.js';

/**
 * CATALOG.md Appendix B as code: each native adapter decides WHICH row an upstream failure is
 * (that is vendor knowledge), and this table decides WHAT the client and the router see for that
 * row (status, stable `code`, `type`, failure class). Keeping the second half in one place means
 * a 429 from Anthropic and a RESOURCE_EXHAUSTED from Gemini reach tenants identically.
 *
 * Rows whose `message` comes from the caller's own mistake (`invalid_request`, `context_length`,
 * `content_filter`, `request_too_large`) take the sanitised upstream message: the tenant needs it
 * to fix the request. The other rows use a fixed message, since the upstream's text there speaks
 * of the operator's account, not the tenant's request.
 */
export type AppendixBRow =
  | 'rate_limit'
  | 'quota'
  | 'overloaded'
  | 'content_filter'
  | 'credential'
  | 'context_length'
  | 'model_not_found'
  | 'invalid_request'
  | 'request_too_large'
  | 'server_error'
  | 'timeout';

interface RowSpec {
  status: number;
  code: string;
  type: string;
  failure: FailureClass;
  /** Undefined: the row passes the (sanitised) upstream message through. */
  message?: string;
}

const ROWS: Record<AppendixBRow, RowSpec> = {
  rate_limit: {
    status: 429,
    code: 'rate_limit_exceeded',
    type: 'rate_limit_error',
    failure: 'rate_limited',
    message: 'The upstream rate limit was reached; retry later.',
  },
  quota: {
    status: 429,
    code: 'insufficient_quota',
    type: 'insufficient_quota',
    failure: 'quota',
    message: "The upstream account's quota or credit is exhausted.",
  },
  overloaded: {
    status: 503,
    code: 'overloaded',
    type: 'server_error',
    failure: 'transient',
    message: 'The upstream is overloaded; retry later.',
  },
  content_filter: { status: 400, code: 'content_filter', type: 'invalid_request_error', failure: 'caller' },
  credential: {
    status: 502,
    code: 'upstream_auth_error',
    type: 'server_error',
    failure: 'credential',
    message: "The upstream rejected this deployment's credentials.",
  },
  context_length: { status: 400, code: 'context_length_exceeded', type: 'invalid_request_error', failure: 'caller' },
  model_not_found: {
    status: 404,
    code: 'model_not_found',
    type: 'invalid_request_error',
    failure: 'not_found',
    message: 'The upstream does not serve the requested model.',
  },
  invalid_request: { status: 400, code: 'invalid_request', type: 'invalid_request_error', failure: 'caller' },
  request_too_large: { status: 413, code: 'request_too_large', type: 'invalid_request_error', failure: 'caller' },
  server_error: {
    status: 502,
    code: 'upstream_error',
    type: 'server_error',
    failure: 'transient',
    message: 'The upstream failed to answer; retry later.',
  },
  timeout: {
    status: 504,
    code: 'upstream_timeout',
    type: 'server_error',
    failure: 'transient',
    message: 'The upstream timed out.',
  },
};

/**
 * @param detail.message the sanitised upstream message, used by the caller-fault rows
 * @param detail.status overrides the row's status (an upstream 422 stays a 422 for the caller)
 * @example classifiedError('rate_limit', { retryAfter: 30 })
 */
export function classifiedError(
  row: AppendixBRow,
  detail: { message?: string; retryAfter?: number; status?: number } = {},
): BaimoError {
  const spec = ROWS[row];
  const message = spec.message ?? (detail.message || 'The upstream rejected the request.');
  return upstreamError(message, {
    status: detail.status ?? spec.status,
    code: spec.code,
    type: spec.type,
    failure: spec.failure,
    retryAfter: spec.failure === 'rate_limited' || spec.failure === 'transient' ? detail.retryAfter : undefined,
  });
}

/**
 * `classifiedError` from what a vendor said: its message sanitised of the vendor's names, and a
 * 4xx status kept for the caller's own mistakes (an upstream 422 stays a 422).
 *
 * @example classifiedVendorError('invalid_request', { message: 'bad field', status: 422 }, ['Anthropic'])
 */
export function classifiedVendorError(
  row: AppendixBRow,
  said: { message?: string; status?: number; retryAfter?: number },
  vendorNames: readonly string[],
): BaimoError {
  const callerStatus = said.status !== undefined && said.status >= 400 && said.status < 500 ? said.status : undefined;
  return classifiedError(row, {
    message: said.message === undefined ? undefined : sanitizeUpstreamMessage(said.message, vendorNames),
    retryAfter: said.retryAfter,
    status: row === 'invalid_request' ? callerStatus : undefined,
  });
}
