import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BaimoError, bodyTooLarge, internalError, invalidJson, invalidRequest, routeNotFound } from '../protocol/errors.js';
import { encodeAnthropicError } from '../protocol/anthropic/encode.js';
import { encodeError, errorHeaders } from '../protocol/openai/encode.js';
import { surfaceOf, type Surface } from './context.js';

/**
 * The one place any error becomes an HTTP answer: Fastify's own errors (body parsing, limits)
 * and Baimo's typed errors alike leave in the error shape of the request's surface (OpenAI's, or
 * Anthropic's on `/v1/messages`) with the matching status.
 * Unexpected exceptions are logged (without bodies or secrets) and answered as a 500.
 */
export function toBaimoError(err: unknown, bodyLimit: number): BaimoError {
  if (BaimoError.is(err)) return err;
  const fe = err as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidJson(`We could not parse the JSON body of your request. (${fe.message ?? 'invalid JSON'})`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BaimoError('validation', 'Unsupported content type; send application/json.', { status: 415, code: 'unsupported_media_type' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidRequest('Content-Length does not match the body.', null, 'invalid_request');
  }
  if (err instanceof SyntaxError) return invalidJson(`We could not parse the JSON body of your request. (${err.message})`);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return invalidRequest(fe.message ?? 'Bad request.', null, 'invalid_request');
  }
  return internalError(err);
}

/** Answer with the error in the shape of the request's surface (OpenAI's by default). */
export function sendError(reply: FastifyReply, err: BaimoError, surface: Surface = 'openai'): FastifyReply {
  if (surface === 'anthropic') {
    const { status, headers, body } = encodeAnthropicError(err);
    return reply.code(status).headers(headers).type('application/json').send(body);
  }
  return reply.code(err.status).headers(errorHeaders(err)).type('application/json').send(encodeError(err));
}

export function errorHandler(bodyLimit: () => number) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const typed = toBaimoError(err, bodyLimit());
    if (typed.kind === 'internal') request.log.error({ err: typed.cause ?? err }, 'unhandled error');
    request.errorCode = typed.code;
    if (request.call) Object.assign(request.call, { errorCode: typed.code, errorMessage: typed.message });
    return sendError(reply, typed, surfaceOf(request));
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const err = routeNotFound(request.method, request.url.split('?')[0]!);
  request.errorCode = err.code;
  return sendError(reply, err, surfaceOf(request));
}
