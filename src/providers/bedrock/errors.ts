import type { BaimoError } from '../../protocol/errors.js';
import type { UpstreamFailure } from '../adapter.js';
import { classifiedVendorError, type AppendixBRow } from '../classified-error.js';
import { retryAfterFromHeaders } from '../retry-after.js';
import { ErrorBodySchema } from './wire.js';

/**
 * Bedrock errors (CATALOG.md §5) → Appendix B rows. The body is `{"message": …}` and the error's
 * name is in the `x-amzn-ErrorType` header (`ThrottlingException:http://internal.amazon.com/…`);
 * the name decides, and the HTTP status stands in when there is none (a proxy's page).
 */
export function mapBedrockError(failure: UpstreamFailure): BaimoError {
  return bedrockError(errorTypeHeader(failure.headers) ?? typeForStatus(failure.status), readMessage(failure.body), {
    status: failure.status,
    retryAfter: retryAfterFromHeaders(failure.headers),
  });
}

/**
 * Shared with the stream decoder, whose exception messages name the same errors in lower camel
 * case (`throttlingException`, `modelStreamErrorException`) and carry no status.
 */
export function bedrockError(
  type: string,
  message: string | undefined,
  context: { status?: number; retryAfter?: number } = {},
): BaimoError {
  return classifiedVendorError(rowFor(normalizeType(type), message ?? ''), { message, ...context }, VENDOR_NAMES);
}

const VENDOR_NAMES = ['Amazon Bedrock', 'Bedrock', 'AWS', 'Amazon'];

function rowFor(type: string, message: string): AppendixBRow {
  switch (type) {
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return 'rate_limit';
    case 'ServiceQuotaExceededException':
      return 'quota';
    case 'ServiceUnavailableException':
    case 'ModelNotReadyException':
      return 'overloaded';
    case 'ValidationException':
      return /too long|too many (input )?tokens|context (window|length)|maximum (input|context)/i.test(message) ? 'context_length' : 'invalid_request';
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'ExpiredTokenException':
    case 'MissingAuthenticationTokenException':
      // The operator's credential, not the tenant's request (Appendix B: 502 upstream_auth_error).
      return 'credential';
    case 'ResourceNotFoundException':
      return 'model_not_found';
    case 'ModelTimeoutException':
      return 'timeout';
    case 'RequestEntityTooLargeException':
      return 'request_too_large';
    default:
      // InternalServerException, ModelErrorException (424), ModelStreamErrorException and anything new.
      return 'server_error';
  }
}

/** `ThrottlingException:http://internal…` → `ThrottlingException`; `throttlingException` → `ThrottlingException`. */
function normalizeType(type: string): string {
  const name = type.split(':')[0]!.trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function typeForStatus(status: number): string {
  switch (status) {
    case 401:
    case 403:
      return 'AccessDeniedException';
    case 404:
      return 'ResourceNotFoundException';
    case 408:
      return 'ModelTimeoutException';
    case 413:
      return 'RequestEntityTooLargeException';
    case 429:
      return 'ThrottlingException';
    case 503:
      return 'ServiceUnavailableException';
    default:
      return status >= 400 && status < 500 ? 'ValidationException' : 'InternalServerException';
  }
}

function errorTypeHeader(headers: UpstreamFailure['headers']): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== 'x-amzn-errortype') continue;
    const text = Array.isArray(value) ? value[0] : value;
    return text && text.trim() !== '' ? text : undefined;
  }
  return undefined;
}

function readMessage(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = ErrorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  return parsed.data.message ?? parsed.data.Message ?? undefined;
}
