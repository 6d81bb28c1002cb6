import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OpenAIChunkEncoder, encodeChatResponse } from '../../protocol/openai/encode.js';
import {
  parseChatRequest,
  parseCompletionRequest,
  parseEmbeddingsRequest,
  parseRerankRequest,
} from '../../protocol/openai/request-schema.js';
import type { EmbeddingsResponse } from '../../protocol/chat.js';
import { unsupported } from '../../protocol/errors.js';
import type { AppDeps } from '../context.js';
import { relayStream } from '../relay.js';

/** The OpenAI-compatible surface (DESIGN.md §2): chat, completions, embeddings, rerank. */
export function registerOpenAIRoutes(app: FastifyInstance, deps: AppDeps): void {
  const ctxOf = (request: FastifyRequest) => ({ requestId: request.id, signal: request.clientSignal });
  const tagModel = (request: FastifyRequest, model: string) => {
    if (deps.gateway.findModel(model)) request.baimoModel = model;
  };

  app.post('/v1/chat/completions', async (request, reply) => {
    const req = parseChatRequest(request.body);
    tagModel(request, req.model);
    const outcome = await deps.gateway.chat(req, ctxOf(request));
    if (outcome.kind === 'json') {
      return reply.header('x-baimo-deployment', outcome.deploymentId).send(encodeChatResponse(outcome.response, req.model));
    }
    reply.hijack();
    const encoder = new OpenAIChunkEncoder(req.model, req.stream_options?.include_usage === true, `chatcmpl-${request.id}`, Math.floor(deps.now() / 1000));
    await relayStream(reply.raw, outcome.stream, encoder, {
      'x-request-id': request.id,
      'x-baimo-deployment': outcome.stream.deploymentId,
    });
  });

  app.post('/v1/completions', async (request, reply) => {
    const req = parseCompletionRequest(request.body);
    tagModel(request, req.model);
    if (req.stream) {
      throw unsupported('Streaming is not available on the legacy completions API; use /v1/chat/completions.', 'stream');
    }
    const body = await deps.gateway.completions(req, ctxOf(request));
    return reply.send({ ...body, model: req.model });
  });

  app.post('/v1/embeddings', async (request, reply) => {
    const req = parseEmbeddingsRequest(request.body);
    tagModel(request, req.model);
    const res = await deps.gateway.embeddings(req, ctxOf(request));
    return reply.send(req.encoding_format === 'base64' ? toBase64(res, req.model) : { ...res, model: req.model });
  });

  app.post('/v1/rerank', async (request, reply) => {
    const req = parseRerankRequest(request.body);
    tagModel(request, req.model);
    const res = await deps.gateway.rerank(req, ctxOf(request));
    return reply.send({ ...res, model: req.model });
  });
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
