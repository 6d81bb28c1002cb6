/**
 * Baimo's one error hierarchy. Every failure on every surface is one of these;
 * each surface codec (OpenAI today, Anthropic later) maps them to its wire format
 * in exactly one function. `code` values are part of the public contract
 * (docs/errors.md lists them).
 */

export type ErrorKind =
  | 'validation'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'rate_limit'
  | 'budget'
  | 'upstream'
  | 'timeout'
  | 'internal';

/** What an upstream failure says about the deployment; the router acts on this, never on raw statuses. */
export type FailureClass =
  | 'caller' // the request itself is bad: never retry, never fail over
  | 'rate_limited' // retry after a wait, then fail over
  | 'quota' // out of credit: cool the deployment down for long, fail over now
  | 'credential' // the operator's upstream key is bad: cool down, fail over
  | 'transient' // 5xx, overload, reset, timeout before first byte: retry with backoff, fail over
  | 'not_found'; // upstream does not know the model: fail over, flag config

export interface BaimoErrorOptions {
  status: number;
  code: string;
  type?: string;
  param?: string | null;
  retryable?: boolean;
  failure?: FailureClass;
  /** Seconds the client should wait (becomes `retry-after`). */
  retryAfter?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

const MARKER = Symbol.for('baimo.error');

export class BaimoError extends Error {
  readonly [MARKER] = true;
  readonly kind: ErrorKind;
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly failure: FailureClass | undefined;
  readonly retryAfter: number | undefined;
  readonly headers: Record<string, string>;

  constructor(kind: ErrorKind, message: string, opts: BaimoErrorOptions) {
    super(message, { cause: opts.cause });
    this.name = 'BaimoError';
    this.kind = kind;
    this.status = opts.status;
    this.code = opts.code;
    this.type = opts.type ?? defaultType(kind);
    this.param = opts.param ?? null;
    this.retryable = opts.retryable ?? false;
    this.failure = opts.failure;
    this.retryAfter = opts.retryAfter;
    this.headers = opts.headers ?? {};
  }

  static is(value: unknown): value is BaimoError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

function defaultType(kind: ErrorKind): string {
  switch (kind) {
    case 'validation':
    case 'not_found':
    case 'authentication':
    case 'permission':
      return 'invalid_request_error';
    case 'rate_limit':
      return 'rate_limit_error';
    case 'budget':
      return 'insufficient_quota';
    case 'timeout':
    case 'upstream':
    case 'internal':
      return 'server_error';
  }
}

export const invalidRequest = (message: string, param: string | null = null, code = 'invalid_value') =>
  new BaimoError('validation', message, { status: 400, code, param });

export const invalidJson = (message: string) =>
  new BaimoError('validation', message, { status: 400, code: 'invalid_json' });

export const bodyTooLarge = (limitBytes: number) =>
  new BaimoError('validation', `Request body exceeds the limit of ${limitBytes} bytes.`, {
    status: 413,
    code: 'request_too_large',
  });

export const unauthenticated = (message = 'Missing or invalid API key.') =>
  new BaimoError('authentication', message, { status: 401, code: 'invalid_api_key' });

export const forbidden = (message: string) =>
  new BaimoError('permission', message, { status: 403, code: 'permission_denied' });

export const modelNotFound = (model: string) =>
  new BaimoError('not_found', `The model '${model}' does not exist or you do not have access to it.`, {
    status: 404,
    code: 'model_not_found',
    param: 'model',
  });

export const routeNotFound = (method: string, path: string) =>
  new BaimoError('not_found', `Unknown route: ${method} ${path}`, { status: 404, code: 'not_found' });

export const unsupported = (message: string, param: string | null = null) =>
  new BaimoError('validation', message, { status: 400, code: 'unsupported_parameter', param });

export const internalError = (cause: unknown) =>
  new BaimoError('internal', 'Internal server error.', { status: 500, code: 'internal_error', cause });

export const noDeploymentAvailable = (model: string) =>
  new BaimoError('upstream', `No deployment of '${model}' is available right now.`, {
    status: 503,
    code: 'no_deployment_available',
    retryable: true,
    failure: 'transient',
  });

export const upstreamTimeout = (phase: 'connect' | 'first_byte' | 'idle' | 'total', cause?: unknown) =>
  new BaimoError('timeout', `Upstream timed out (${phase.replace('_', ' ')}).`, {
    status: 504,
    code: 'upstream_timeout',
    retryable: phase !== 'total' && phase !== 'idle',
    failure: 'transient',
    cause,
  });

export const upstreamUnreachable = (cause?: unknown) =>
  new BaimoError('upstream', 'Upstream connection failed.', {
    status: 502,
    code: 'upstream_connection_error',
    retryable: true,
    failure: 'transient',
    cause,
  });

/**
 * An error reported by an upstream provider, already classified by the adapter's error mapper
 * (CATALOG.md Appendix B). The message is sanitised: it never names the upstream or its host.
 */
export function upstreamError(
  message: string,
  opts: { status: number; code: string; type?: string; failure: FailureClass; retryAfter?: number; param?: string | null },
): BaimoError {
  const retryable = opts.failure === 'transient' || opts.failure === 'rate_limited';
  const kind: ErrorKind =
    opts.failure === 'caller' ? 'validation' : opts.failure === 'rate_limited' ? 'rate_limit' : 'upstream';
  return new BaimoError(kind, message, {
    status: opts.status,
    code: opts.code,
    type: opts.type,
    param: opts.param ?? null,
    retryable,
    failure: opts.failure,
    retryAfter: opts.retryAfter,
  });
}
