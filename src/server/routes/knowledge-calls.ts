import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Knowledge } from '../../knowledge/knowledge.js';
import { citationsOf, groundedMessages, queryOf, type Citation } from '../../knowledge/rag/grounding.js';
import type { SearchMode } from '../../knowledge/retrieval/retriever.js';
import { visibleKb } from '../../knowledge/routes.js';
import type { KnowledgeBase } from '../../knowledge/store/kb-repo.js';
import { hitView, type Hit } from '../../knowledge/views.js';
import type { Usage } from '../../protocol/chat.js';
import { invalidRequest, modelNotFound } from '../../protocol/errors.js';
import { encodeChatResponse, OpenAIChunkEncoder } from '../../protocol/openai/encode.js';
import { parseChatRequest } from '../../protocol/openai/request-schema.js';
import { validateBody } from '../../protocol/validate-body.js';
import { estimateTextTokens } from '../../router/estimate.js';
import type { AppDeps } from '../context.js';
import { sendsItself } from '../route-body.js';
import { admitCall, asUsage, chatEstimate, relayAndSettle, sendJson, settled, SETTLE_AT_STREAM_END } from '../model-call.js';

/**
 * Knowledge-base search and grounded chat: the routes that call models on the caller's behalf.
 * The query embedding and the rerank are admitted under the caller's limits and metered to them
 * like any call (but not restricted by a key's model allow-list: the KB chose those models);
 * the chat itself is an ordinary chat completion, with the retrieved chunks as numbered sources.
 */

const retrievalFields = {
  top_k: z.number().int().min(1).max(50).default(5),
  mode: z.enum(['hybrid', 'vector', 'keyword']).default('hybrid'),
  rerank: z.boolean().optional(),
  filter: z
    .strictObject({
      document_ids: z.array(z.string()).optional(),
      metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    })
    .optional(),
};
const searchBody = z.strictObject({ query: z.string().trim().min(1).max(8000), ...retrievalFields });
const retrievalOptions = z.object(retrievalFields);
type RetrievalOptions = z.infer<typeof retrievalOptions>;

export function registerKnowledgeCallRoutes(app: FastifyInstance, deps: AppDeps & { knowledge: Knowledge }): void {
  /** Retrieval on the caller's behalf; returns hits and the usage of the model calls it made. */
  async function searchFor(request: FastifyRequest, kb: KnowledgeBase, query: string, opts: RetrievalOptions): Promise<{ hits: Hit[]; usage: Usage }> {
    const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    const add = (u: { prompt_tokens?: number; total_tokens: number }) => {
      const call = asUsage(u);
      usage.prompt_tokens += call.prompt_tokens;
      usage.total_tokens += call.total_tokens;
      return call;
    };
    const modelNamed = (name: string) => {
      const m = deps.gateway.findModel(name);
      if (!m) throw modelNotFound(name);
      return m;
    };
    const rerankModel = (opts.rerank ?? kb.rerank_model !== null) ? kb.rerank_model : null;
    if (opts.rerank && !kb.rerank_model) throw invalidRequest('This knowledge base has no rerank_model; set one to rerank.', 'rerank');
    const results = await deps.knowledge.search({
      kbId: kb.id,
      query,
      topK: opts.top_k,
      mode: opts.mode as SearchMode,
      filter: opts.filter ? { documentIds: opts.filter.document_ids, metadata: opts.filter.metadata } : undefined,
      embedQuery: async (text) => {
        const model = modelNamed(kb.embedding_model);
        const guard = await deps.guard(request, model, { inputTokens: estimateTextTokens(text), maxOutputTokens: 0 }, { internal: true });
        const res = await settled(guard, () => deps.gateway.embeddings({ model: model.name, input: [text], extra: {} }, guard.ctx), (r) => add(r.usage));
        return Float32Array.from(res.data[0]!.embedding);
      },
      rerank: rerankModel
        ? async (q, texts) => {
            const model = modelNamed(rerankModel);
            const guard = await deps.guard(request, model, { inputTokens: estimateTextTokens([q, ...texts]), maxOutputTokens: 0 }, { internal: true });
            const res = await settled(guard, () => deps.gateway.rerank({ model: model.name, query: q, documents: texts, extra: {} }, guard.ctx), (r) => add(r.usage));
            const scores = new Array<number>(texts.length).fill(0);
            for (const r of res.results) scores[r.index] = r.relevance_score;
            return scores;
          }
        : undefined,
    });
    return { hits: results.map(hitView), usage };
  }

  app.post('/v1/knowledge_bases/:kb/search', async (request) => {
    const body = validateBody(searchBody, request.body);
    const kb = await visibleKb(deps.knowledge, request, (request.params as { kb: string }).kb);
    const { hits, usage } = await searchFor(request, kb, body.query, body);
    return { object: 'list', data: hits, model: kb.embedding_model, usage };
  });

  // `/chat/completions` too, so an OpenAI SDK pointed at `/v1/knowledge_bases/{kb}` just works.
  const chatPaths = ['/v1/knowledge_bases/:kb/chat', '/v1/knowledge_bases/:kb/chat/completions'];
  for (const path of chatPaths) app.post(path, sendsItself(async (request, reply) => {
    const { top_k, mode, rerank, filter, ...chatBody } = (request.body ?? {}) as Record<string, unknown>;
    const opts = validateBody(retrievalOptions, { top_k, mode, rerank, filter });
    const req = parseChatRequest(chatBody);
    const kb = await visibleKb(deps.knowledge, request, (request.params as { kb: string }).kb);
    const query = queryOf(req.messages);
    if (!query) throw invalidRequest('The conversation needs a user message with text to search the knowledge base for.', 'messages');
    if (!deps.gateway.findModel(req.model)) throw modelNotFound(req.model);

    const { hits } = await searchFor(request, kb, query, opts);
    const citations = citationsOf(hits);
    const grounded = { ...req, messages: groundedMessages(req.messages, citations) };
    const stream = req.stream === true;
    const guard = await admitCall(deps, request, { endpoint: 'kb.chat', model: req.model, stream }, chatEstimate(grounded));
    const outcome = await settled(guard, () => deps.gateway.chat(grounded, guard.ctx), (o) => (o.kind === 'json' ? o.response.usage : SETTLE_AT_STREAM_END));
    if (outcome.kind === 'json') {
      const { response, deploymentId } = outcome;
      return sendJson(request, reply, guard, { body: { ...encodeChatResponse(response, req.model), citations }, usage: response.usage, deploymentId });
    }
    const encoder = withCitations(
      new OpenAIChunkEncoder(req.model, req.stream_options?.include_usage === true, `chatcmpl-${request.id}`, Math.floor(deps.now() / 1000)),
      citations,
    );
    await relayAndSettle(request, reply, guard, outcome.stream, encoder);
  }));
}

/** Puts `citations` on the first chunk the client receives. */
function withCitations(encoder: OpenAIChunkEncoder, citations: readonly Citation[]): OpenAIChunkEncoder {
  let sent = false;
  const encode = encoder.encode.bind(encoder);
  encoder.encode = (event) => {
    const out = encode(event);
    if (sent || !out.startsWith('data: {')) return out;
    sent = true;
    const end = out.indexOf('\n\n');
    const chunk = JSON.parse(out.slice(6, end)) as Record<string, unknown>;
    return `data: ${JSON.stringify({ ...chunk, citations })}${out.slice(end)}`;
  };
  return encoder;
}
