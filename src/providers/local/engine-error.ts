/**
 * Failures of the in-process engine, answered the way an OpenAI-compatible upstream would answer
 * them (status + `{"error":{message,type,param,code}}`), so the shared adapter's `mapError` and the
 * router's retry/failover rules apply unchanged: a missing file is a 404 `model_not_found` (fail
 * over), a full queue a 503 `server_is_overloaded` (retry with backoff), a long prompt a 400
 * `context_length_exceeded` (the caller's fault).
 */
export class LocalEngineError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly param: string | null;
  /** Seconds, sent as `retry-after`. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    opts: { type?: string; param?: string; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'LocalEngineError';
    this.status = status;
    this.code = code;
    this.type = opts.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = opts.param ?? null;
    this.retryAfter = opts.retryAfter;
  }

  /** The OpenAI error body. */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidParam = (param: string, message: string): LocalEngineError =>
  new LocalEngineError(400, 'invalid_request', message, { param });

export const unsupportedParam = (param: string, subject = `'${param}'`): LocalEngineError =>
  new LocalEngineError(400, 'unsupported_parameter', `${subject}: not supported by the local engine.`, { param });

export const modelFileNotFound = (path: string): LocalEngineError =>
  new LocalEngineError(404, 'model_not_found', `GGUF model file not found: ${path}`);

export const modelLoadFailed = (path: string, cause: unknown): LocalEngineError =>
  new LocalEngineError(500, 'model_load_failed', `Cannot load GGUF model ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });

/** Wording as OpenAI's and vLLM's, so any classifier recognises it. */
export const promptTooLong = (contextSize: number, promptTokens: number, param = 'messages'): LocalEngineError =>
  new LocalEngineError(
    400,
    'context_length_exceeded',
    `This model's maximum context length is ${contextSize} tokens. However, your ${param} resulted in ${promptTokens} tokens.`,
    { param },
  );

export const completionTooLong = (contextSize: number, promptTokens: number, maxTokens: number): LocalEngineError =>
  new LocalEngineError(
    400,
    'context_length_exceeded',
    `This model's maximum context length is ${contextSize} tokens. However, you requested ${promptTokens + maxTokens} tokens ` +
      `(${promptTokens} in the prompt, ${maxTokens} in the completion). Please reduce the prompt or max_tokens.`,
    { param: 'max_tokens' },
  );

/** Every sequence is busy and the queue is full, or the wait for a sequence outlasted `first_byte_ms`. */
export const engineOverloaded = (detail: string): LocalEngineError =>
  new LocalEngineError(503, 'server_is_overloaded', `The local engine is overloaded: ${detail}.`, { retryAfter: 1 });

export const routeNotServed = (route: string): LocalEngineError =>
  new LocalEngineError(404, 'not_found', `The local engine does not serve ${route}.`);

export const engineFailed = (cause: unknown): LocalEngineError =>
  new LocalEngineError(500, 'internal_error', `The local engine failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });

export function toLocalEngineError(err: unknown): LocalEngineError {
  return err instanceof LocalEngineError ? err : engineFailed(err);
}
