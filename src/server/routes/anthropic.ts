import type { FastifyInstance } from 'fastify';
import { encodeMessageResponse } from '../../protocol/anthropic/encode.js';
import { AnthropicPassthroughEncoder, withMessageModel } from '../../protocol/anthropic/passthrough.js';
import { parseCountTokensRequest, parseMessagesRequest } from '../../protocol/anthropic/request-schema.js';
import { AnthropicEventEncoder } from '../../protocol/anthropic/stream-encoder.js';
import { invalidRequest, modelNotFound } from '../../protocol/errors.js';
import type { MessagesOutcome } from '../../router/index.js';
import { assertModelAllowed } from '../call-guard.js';
import type { AppDeps } from '../context.js';
import { sendsItself } from '../route-body.js';
import { admitCall, chatEstimate, relayAndSettle, sendJson, settled, SETTLE_AT_STREAM_END } from '../model-call.js';

/**
 * The Anthropic-compatible surface (DESIGN.md §2, CATALOG.md §3): `/v1/messages` and
 * `/v1/messages/count_tokens`, for clients that speak Messages (Claude Code, the Anthropic SDKs).
 * Keys come as `x-api-key` or bearer (the auth hook takes both); `anthropic-version` is accepted
 * and not needed; `anthropic-beta` is forwarded to deployments that speak Messages (the features it
 * switches on live in the body they get as sent) and dropped for the others. Any model serves it: the router passes the body
 * through to deployments that speak Messages and translates for the others (docs/surfaces.md).
 * Admission, settlement and the request log are the OpenAI surface's own (model-call.ts).
 */
export function registerAnthropicRoutes(app: FastifyInstance, deps: AppDeps): void {
  const config = { surface: 'anthropic' as const };

  app.post('/v1/messages', { config }, sendsItself(async (request, reply) => {
    const req = { ...parseMessagesRequest(request.body), betas: anthropicBeta(request.headers['anthropic-beta']) };
    const { model, stream } = { model: req.chat.model, stream: req.chat.stream === true };
    const guard = await admitCall(deps, request, { endpoint: 'messages', model, stream }, chatEstimate(req.chat));
    const outcome = await settled(guard, () => deps.gateway.messages(req, guard.ctx), usageOf);
    // Anthropic's request id header, which the SDKs expose as `_request_id`.
    const ids = { 'request-id': request.id };
    reply.headers(ids);
    switch (outcome.kind) {
      case 'json': {
        const { response, deploymentId } = outcome;
        return sendJson(request, reply, guard, { body: encodeMessageResponse(response, model, messageId(request.id)), usage: response.usage, deploymentId });
      }
      case 'native-json':
        return sendJson(request, reply, guard, { body: withMessageModel(outcome.body, model), usage: outcome.usage, deploymentId: outcome.deploymentId });
      case 'stream':
        return relayAndSettle(request, reply, guard, outcome.stream, new AnthropicEventEncoder(model, messageId(request.id)), ids);
      case 'native-stream':
        return relayAndSettle(request, reply, guard, outcome.stream, new AnthropicPassthroughEncoder(model), ids);
    }
  }));

  /**
   * Not a model call: nothing is generated, reserved or metered. Counted by the model's preferred
   * deployment when it speaks Messages, else estimated (`x-baimo-token-count: estimate`).
   */
  app.post('/v1/messages/count_tokens', { config }, async (request, reply) => {
    const req = { ...parseCountTokensRequest(request.body), betas: anthropicBeta(request.headers['anthropic-beta']) };
    const model = deps.gateway.findModel(req.chat.model);
    if (!model) throw modelNotFound(req.chat.model);
    assertModelAllowed(request.principal, model.name);
    request.baimoModel = model.name;
    const counted = await deps.gateway.countMessageTokens(req, { requestId: request.id, signal: request.clientSignal });
    reply.header('request-id', request.id);
    reply.header('x-baimo-token-count', counted.estimated ? 'estimate' : 'upstream');
    return { input_tokens: counted.input_tokens };
  });
}

function usageOf(outcome: MessagesOutcome) {
  if (outcome.kind === 'json') return outcome.response.usage;
  return outcome.kind === 'native-json' ? outcome.usage : SETTLE_AT_STREAM_END;
}

/** Comma-separated beta flags (`a-2025-01-01,b`), repeated headers joined; anything else is refused. */
function anthropicBeta(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '') return undefined;
  if (value.length > 1024 || !/^[A-Za-z0-9._-]+(\s*,\s*[A-Za-z0-9._-]+)*$/.test(value)) {
    throw invalidRequest('anthropic-beta must be a comma-separated list of beta names.', 'anthropic-beta');
  }
  return value;
}

/** Anthropic message ids start with `msg_`; a translated answer takes the request's id. */
function messageId(requestId: string): string {
  return `msg_${requestId}`;
}
