import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModelConfig } from '../../config/types.js';
import { OpenAIChunkEncoder, encodeChatResponse } from '../../protocol/openai/encode.js';
import {
  parseChatRequest,
  parseCompletionRequest,
  parseEmbeddingsRequest,
  parseRerankRequest,
} from '../../protocol/openai/request-schema.js';
import type { EmbeddingsResponse, Usage } from '../../protocol/chat.js';
import { modelNotFound, unsupported } from '../../protocol/errors.js';
import { estimateTextTokens } from '../../router/estimate.js';
import { DEFAULT_MAX_OUTPUT_RESERVATION, type CallEstimate, type CallGuard } from '../call-guard.js';
import type { AppDeps } from '../context.js';
import { relayStream } from '../relay.js';

/** The OpenAI-compatible surface (DESIGN.md §2): chat, completions, embeddings, rerank. */
export function registerOpenAIRoutes(app: FastifyInstance, deps: AppDeps): void {
  /** Resolve the model, note it for metrics and the request log, and admit the call under the caller's limits. */
  const admit = async (request: FastifyRequest, endpoint: string, name: string, stream: boolean, estimate: (m: ModelConfig) => CallEstimate) => {
    const model = deps.gateway.findModel(name);
    if (!model) throw modelNotFound(name);
    request.baimoModel = model.name;
    request.call = { endpoint, model: model.name, stream };
    return deps.guard(request, model, estimate(model));
  };

  /** Run the gateway call; whatever happens, settle the reservation exactly once. */
  const settled = async <T>(guard: CallGuard, run: () => Promise<T>, usageOf: (r: T) => Usage | undefined): Promise<T> => {
    let result: T;
    try {
      result = await run();
    } catch (err) {
      await guard.settle(undefined);
      throw err;
    }
    await guard.settle(usageOf(result));
    return result;
  };

  const sendJson = (request: FastifyRequest, reply: FastifyReply, guard: CallGuard, body: unknown, usage: Usage | undefined, deploymentId?: string) => {
    if (request.call) Object.assign(request.call, { usage, deploymentId, responseBody: body });
    reply.headers(guard.headers);
    if (deploymentId) reply.header('x-baimo-deployment', deploymentId);
    return reply.send(body);
  };

  app.post('/v1/chat/completions', async (request, reply) => {
    const req = parseChatRequest(request.body);
    const stream = req.stream === true;
    const guard = await admit(request, 'chat', req.model, stream, (m) => ({
      inputTokens: estimateTextTokens(req.messages) + 4 * req.messages.length,
      maxOutputTokens: req.max_completion_tokens ?? req.max_tokens ?? m.max_output_tokens ?? DEFAULT_MAX_OUTPUT_RESERVATION,
    }));
    const outcome = await settled(guard, () => deps.gateway.chat(req, guard.ctx), (o) => (o.kind === 'json' ? o.response.usage : undefined));
    if (outcome.kind === 'json') {
      return sendJson(request, reply, guard, encodeChatResponse(outcome.response, req.model), outcome.response.usage, outcome.deploymentId);
    }
    reply.hijack();
    const encoder = new OpenAIChunkEncoder(req.model, req.stream_options?.include_usage === true, `chatcmpl-${request.id}`, Math.floor(deps.now() / 1000));
    const result = await relayStream(reply.raw, outcome.stream, encoder, {
      ...guard.headers,
      'x-request-id': request.id,
      'x-baimo-deployment': outcome.stream.deploymentId,
    });
    const usage = outcome.stream.usage();
    Object.assign(request.call!, { usage, deploymentId: outcome.stream.deploymentId, errorCode: result.error?.code, errorMessage: result.error?.message });
    // The stream's reservation was held until its end; settle it on what the upstream reported.
    await guard.settle(usage);
  });

  app.post('/v1/completions', async (request, reply) => {
    const req = parseCompletionRequest(request.body);
    if (req.stream) throw unsupported('Streaming is not available on the legacy completions API; use /v1/chat/completions.', 'stream');
    const extra = req.extra as { max_tokens?: number };
    const guard = await admit(request, 'completions', req.model, false, (m) => ({
      inputTokens: estimateTextTokens(req.prompt),
      maxOutputTokens: typeof extra.max_tokens === 'number' ? extra.max_tokens : (m.max_output_tokens ?? DEFAULT_MAX_OUTPUT_RESERVATION),
    }));
    const body = await settled(guard, () => deps.gateway.completions(req, guard.ctx), (b) => b.usage as Usage | undefined);
    return sendJson(request, reply, guard, { ...body, model: req.model }, body.usage as Usage | undefined);
  });

  app.post('/v1/embeddings', async (request, reply) => {
    const req = parseEmbeddingsRequest(request.body);
    const guard = await admit(request, 'embeddings', req.model, false, () => ({ inputTokens: estimateTextTokens(req.input), maxOutputTokens: 0 }));
    const res = await settled(guard, () => deps.gateway.embeddings(req, guard.ctx), (r) => asUsage(r.usage));
    const body = req.encoding_format === 'base64' ? toBase64(res, req.model) : { ...res, model: req.model };
    return sendJson(request, reply, guard, body, asUsage(res.usage));
  });

  app.post('/v1/rerank', async (request, reply) => {
    const req = parseRerankRequest(request.body);
    const texts = [req.query, ...req.documents.map((d) => (typeof d === 'string' ? d : d.text))];
    const guard = await admit(request, 'rerank', req.model, false, () => ({ inputTokens: estimateTextTokens(texts), maxOutputTokens: 0 }));
    const res = await settled(guard, () => deps.gateway.rerank(req, guard.ctx), (r) => asUsage(r.usage));
    return sendJson(request, reply, guard, { ...res, model: req.model }, asUsage(res.usage));
  });
}

function asUsage(u: { prompt_tokens?: number; total_tokens: number }): Usage {
  return { prompt_tokens: u.prompt_tokens ?? u.total_tokens, completion_tokens: 0, total_tokens: u.total_tokens };
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
