import type { FastifyInstance } from 'fastify';
import { OpenAIChunkEncoder, encodeChatResponse } from '../../protocol/openai/encode.js';
import { OpenAICompletionChunkEncoder } from '../../protocol/openai/completion-chunks.js';
import {
  parseChatRequest,
  parseCompletionRequest,
  parseEmbeddingsRequest,
  parseRerankRequest,
} from '../../protocol/openai/request-schema.js';
import type { EmbeddingsResponse, Usage } from '../../protocol/chat.js';
import { estimateTextTokens } from '../../router/estimate.js';
import { DEFAULT_MAX_OUTPUT_RESERVATION } from '../call-guard.js';
import type { AppDeps } from '../context.js';
import { sendsItself } from '../route-body.js';
import { admitCall, asUsage, chatEstimate, relayAndSettle, sendJson, settled, SETTLE_AT_STREAM_END } from '../model-call.js';

/** The OpenAI-compatible surface (DESIGN.md §2): chat, completions, embeddings, rerank. */
export function registerOpenAIRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/v1/chat/completions', sendsItself(async (request, reply) => {
    const req = parseChatRequest(request.body);
    const stream = req.stream === true;
    const guard = await admitCall(deps, request, { endpoint: 'chat', model: req.model, stream }, chatEstimate(req));
    const outcome = await settled(guard, () => deps.gateway.chat(req, guard.ctx), (o) => (o.kind === 'json' ? o.response.usage : SETTLE_AT_STREAM_END));
    if (outcome.kind === 'json') {
      const { response, deploymentId } = outcome;
      return sendJson(request, reply, guard, { body: encodeChatResponse(response, req.model), usage: response.usage, deploymentId });
    }
    const encoder = new OpenAIChunkEncoder(req.model, req.stream_options?.include_usage === true, `chatcmpl-${request.id}`, Math.floor(deps.now() / 1000));
    await relayAndSettle(request, reply, guard, outcome.stream, encoder);
  }));

  app.post('/v1/completions', sendsItself(async (request, reply) => {
    const req = parseCompletionRequest(request.body);
    const stream = req.stream === true;
    const extra = req.extra as { max_tokens?: number };
    const guard = await admitCall(deps, request, { endpoint: 'completions', model: req.model, stream }, (m) => ({
      inputTokens: estimateTextTokens(req.prompt),
      maxOutputTokens: typeof extra.max_tokens === 'number' ? extra.max_tokens : (m.max_output_tokens ?? DEFAULT_MAX_OUTPUT_RESERVATION),
    }));
    const call = () => deps.gateway.completions(req, guard.ctx);
    const outcome = await settled(guard, call, (o) => (o.kind === 'json' ? (o.body.usage as Usage | undefined) : SETTLE_AT_STREAM_END));
    if (outcome.kind === 'json') {
      const { body, deploymentId } = outcome;
      return sendJson(request, reply, guard, { body: { ...body, model: req.model }, usage: body.usage as Usage | undefined, deploymentId });
    }
    const encoder = new OpenAICompletionChunkEncoder(req.model, req.stream_options?.include_usage === true, `cmpl-${request.id}`, Math.floor(deps.now() / 1000));
    await relayAndSettle(request, reply, guard, outcome.stream, encoder);
  }));

  app.post('/v1/embeddings', sendsItself(async (request, reply) => {
    const req = parseEmbeddingsRequest(request.body);
    const guard = await admitCall(deps, request, { endpoint: 'embeddings', model: req.model, stream: false }, () => ({ inputTokens: estimateTextTokens(req.input), maxOutputTokens: 0 }));
    const res = await settled(guard, () => deps.gateway.embeddings(req, guard.ctx), (r) => asUsage(r.usage));
    const body = req.encoding_format === 'base64' ? toBase64(res, req.model) : { ...res, model: req.model };
    return sendJson(request, reply, guard, { body, usage: asUsage(res.usage) });
  }));

  app.post('/v1/rerank', sendsItself(async (request, reply) => {
    const req = parseRerankRequest(request.body);
    const texts = [req.query, ...req.documents.map((d) => (typeof d === 'string' ? d : d.text))];
    const guard = await admitCall(deps, request, { endpoint: 'rerank', model: req.model, stream: false }, () => ({ inputTokens: estimateTextTokens(texts), maxOutputTokens: 0 }));
    const res = await settled(guard, () => deps.gateway.rerank(req, guard.ctx), (r) => asUsage(r.usage));
    return sendJson(request, reply, guard, { body: { ...res, model: req.model }, usage: asUsage(res.usage) });
  }));
}


/** OpenAI's base64 encoding: little-endian float32 bytes of each vector. */
function toBase64(res: EmbeddingsResponse, model: string) {
  return {
    ...res,
    model,
    data: res.data.map((d) => {
      const floats = Float32Array.from(d.embedding);
      return { ...d, embedding: Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64') };
    }),
  };
}
