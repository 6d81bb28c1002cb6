import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModelConfig } from '../../config/types.js';
import type { ChatMessage, ChatRequest, Usage } from '../../protocol/chat.js';
import { modelNotFound, unsupported } from '../../protocol/errors.js';
import { encodeResponse, envelopeOf } from '../../protocol/responses/encode.js';
import { parseResponsesRequest, toChatRequest, type ResponsesRequest } from '../../protocol/responses/request-schema.js';
import { ResponsesStreamEncoder } from '../../protocol/responses/stream-encoder.js';
import type { ResponseObject } from '../../protocol/responses/types.js';
import { validateBody } from '../../protocol/validate-body.js';
import { responseNotFound, type ResponseOwner } from '../../responses/index.js';
import type { OpenStream } from '../../router/index.js';
import { canSeeModel, userOrg } from '../call-guard.js';
import type { AppDeps } from '../context.js';
import { sendsItself } from '../route-body.js';
import { admitCall, chatEstimate, relayAndSettle, sendJson, settled, SETTLE_AT_STREAM_END } from '../model-call.js';

/**
 * The OpenAI Responses surface (CATALOG.md §1.4) over every model: requests are translated to the
 * canonical chat request and run through the same admission, gateway, settlement and request log
 * as `/v1/chat/completions`, so limits, metering and logs do not depend on the surface. Answers
 * are stored per org unless `store: false`, for retrieval and `previous_response_id` chaining.
 */
export function registerResponsesRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/v1/responses', sendsItself(async (request, reply) => {
    const req = parseResponsesRequest(request.body, deps.newId);
    const owner = ownerOf(request);
    const model = deps.gateway.findModel(req.model);
    if (!model || !canSeeModel(request.principal, req.model)) throw modelNotFound(req.model);
    const history = req.previousResponseId ? await deps.responses.conversationOf(req.previousResponseId, owner) : [];
    const chat = toChatRequest(req, history);
    refuseMissingCapabilities(model, req, chat);

    const guard = await admitCall(deps, request, { endpoint: 'responses', model: model.name, stream: req.stream }, chatEstimate(chat));
    const envelope = envelopeOf(req, { id: deps.newId('resp'), createdAt: Math.floor(deps.now() / 1000) });
    // What a later turn continues from: earlier turns and this input, without this turn's instructions.
    const conversation = [...history, ...req.input];
    const save = (response: ResponseObject, answer: ChatMessage | undefined, usage: Usage | undefined) =>
      deps.responses.save({
        id: envelope.id,
        owner,
        model: model.name,
        status: response.status,
        previousResponseId: req.previousResponseId,
        inputItems: req.inputItems,
        conversation: answer && saysSomething(answer) ? [...conversation, answer] : conversation,
        response,
        usage,
      });

    const outcome = await settled(guard, () => deps.gateway.chat(chat, guard.ctx), (o) => (o.kind === 'json' ? o.response.usage : SETTLE_AT_STREAM_END));
    if (outcome.kind === 'json') {
      const { response, deploymentId } = outcome;
      const body = encodeResponse(envelope, response, deps.newId);
      if (req.store) await save(body, response.choices[0]?.message, response.usage);
      return sendJson(request, reply, guard, { body, usage: response.usage, deploymentId });
    }
    const encoder = new ResponsesStreamEncoder(envelope, deps.newId);
    const source = outcome.stream;
    const stream = req.store
      ? saveBeforeTerminalEvent(source, async () => {
          const final = encoder.complete();
          await save(final, encoder.assistantMessage(), source.usage()).catch((err: unknown) =>
            request.log.error({ err }, 'storing a streamed response failed'),
          );
        })
      : source;
    await relayAndSettle(request, reply, guard, stream, encoder);
  }));

  app.get('/v1/responses/:id', async (request) => {
    const { id } = request.params as { id: string };
    if ((request.query as Record<string, unknown>).stream === 'true') {
      throw unsupported('Replaying a stored response as a stream is not supported; retrieve it without stream.', 'stream');
    }
    const found = await deps.responses.get(id, ownerOf(request));
    if (!found) throw responseNotFound(id);
    return found.response;
  });

  app.delete('/v1/responses/:id', async (request) => {
    const { id } = request.params as { id: string };
    if (!(await deps.responses.delete(id, ownerOf(request)))) throw responseNotFound(id);
    return { id, object: 'response.deleted', deleted: true };
  });

  app.get('/v1/responses/:id/input_items', async (request) => {
    const { id } = request.params as { id: string };
    const q = validateBody(listQuery, request.query ?? {});
    const found = await deps.responses.get(id, ownerOf(request));
    if (!found) throw responseNotFound(id);
    const ordered = q.order === 'asc' ? found.inputItems : [...found.inputItems].reverse();
    // An `after` cursor that names no item of this response ends the list rather than restarting it.
    const from = q.after ? (ordered.findIndex((item) => item.id === q.after) + 1 || ordered.length) : 0;
    const data = ordered.slice(from, from + q.limit);
    return {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: from + q.limit < ordered.length,
    };
  });
}

const listQuery = z.looseObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().min(1).optional(),
});

/** Stored responses belong to the org the call is for (as the call guard picks it), or to the operator. */
function ownerOf(request: FastifyRequest): ResponseOwner {
  const p = request.principal;
  if (p.kind === 'operator') return { orgId: null };
  if (p.kind === 'key') return { orgId: p.orgId };
  return { orgId: userOrg(p, request.headers['x-baimo-org']) };
}

/**
 * Refuse, before anything is reserved, what the model's capabilities rule out, naming the
 * Responses field (the gateway would refuse too, but naming the chat field).
 */
function refuseMissingCapabilities(model: ModelConfig, req: ResponsesRequest, chat: ChatRequest): void {
  const lacks = (cap: ModelConfig['capabilities'][number]) => !model.capabilities.includes(cap);
  if (req.tools.length > 0 && lacks('tools')) throw unsupported(`The model '${model.name}' does not support tool calling.`, 'tools');
  if (req.format && req.format.type !== 'text' && lacks('json')) throw unsupported(`The model '${model.name}' does not support JSON response formats.`, 'text.format');
  if (req.reasoning.effort && req.reasoning.effort !== 'none' && lacks('reasoning')) {
    throw unsupported(`The model '${model.name}' does not support reasoning effort.`, 'reasoning.effort');
  }
  const hasImage = chat.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));
  if (hasImage && lacks('vision')) throw unsupported(`The model '${model.name}' does not support image input.`, 'input');
}

/** An answer with neither text nor tool calls (filtered, or cut off while reasoning) is not a turn to continue from. */
function saysSomething(m: ChatMessage): boolean {
  const hasText = typeof m.content === 'string' ? m.content !== '' : Array.isArray(m.content) && m.content.length > 0;
  return hasText || (m.tool_calls?.length ?? 0) > 0;
}

/**
 * Run `store` once the upstream stream has ended normally and before the relay writes the
 * terminal event, so a client that chains on `response.completed` at once finds the response.
 * After an error event or a client disconnect the relay stops pulling and nothing is stored.
 */
function saveBeforeTerminalEvent(stream: OpenStream, store: () => Promise<void>): OpenStream {
  return {
    deploymentId: stream.deploymentId,
    usage: stream.usage,
    async *events() {
      let failed = false;
      for await (const event of stream.events()) {
        if (event.type === 'error') failed = true;
        yield event;
      }
      if (!failed) await store();
    },
  };
}
