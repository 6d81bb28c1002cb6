import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ModelConfig } from '../config/types.js';
import type { ChatRequest, Usage } from '../protocol/chat.js';
import { modelNotFound } from '../protocol/errors.js';
import { estimateTextTokens } from '../router/estimate.js';
import { DEFAULT_MAX_OUTPUT_RESERVATION, type CallEstimate, type CallGuard } from './call-guard.js';
import type { AppDeps } from './context.js';
import type { Principal } from '../tenancy/index.js';
import { relayStream, streamTranscript, type RelayableStream, type StreamEncoder } from './relay.js';

/** How much of a streamed answer is kept for the request log (the log's own cap is 64 KiB). */
const STREAM_BODY_CAPTURE_CHARS = 64 * 1024;

/**
 * The request pipeline every model-calling route shares, whatever surface it speaks: admit the
 * call under the caller's limits, settle the reservation exactly once on the upstream's usage,
 * answer JSON or relay a stream, and fill in the request log. Surfaces differ only in how they
 * parse requests and encode answers, so usage, limits, metering and logs cannot differ.
 */

/**
 * Resolve the model, note it for metrics and the request log, and admit the call under the
 * caller's limits. Synchronous when the guard is (routes `await` it either way, and a refusal
 * thrown here rejects the route's async handler like any other error).
 */
export function admitCall(
  deps: Pick<AppDeps, 'gateway' | 'guard'>,
  request: FastifyRequest,
  call: { endpoint: string; model: string; stream: boolean },
  estimate: (m: ModelConfig) => CallEstimate,
): CallGuard | Promise<CallGuard> {
  const model = deps.gateway.findModel(call.model);
  if (!model) throw modelNotFound(call.model);
  request.baimoModel = model.name;
  const noted = (request.call = { endpoint: call.endpoint, model: model.name, stream: call.stream } as NonNullable<FastifyRequest['call']>);
  const withTenant = (guard: CallGuard) => {
    noted.tenant = guard.ctx.tenant;
    return guard;
  };
  const guarded = deps.guard(request, model, estimate(model));
  return guarded instanceof Promise ? guarded.then(withTenant) : withTenant(guarded);
}

/** The admission estimate of a chat call: its prompt, and its output limit (else the model's, else a default). */
export function chatEstimate(req: ChatRequest): (m: ModelConfig) => CallEstimate {
  return (m) => ({
    inputTokens: estimateTextTokens(req.messages) + 4 * req.messages.length,
    maxOutputTokens: req.max_completion_tokens ?? req.max_tokens ?? m.max_output_tokens ?? DEFAULT_MAX_OUTPUT_RESERVATION,
  });
}

/** Usage of an input-only call (embeddings, rerank), where upstreams may report only a total. */
export function asUsage(u: { prompt_tokens?: number; total_tokens: number }): Usage {
  return { prompt_tokens: u.prompt_tokens ?? u.total_tokens, completion_tokens: 0, total_tokens: u.total_tokens };
}

/** Returned by a `settled` usage function for a streamed outcome: `relayAndSettle` settles it at the end. */
export const SETTLE_AT_STREAM_END = Symbol('settle at stream end');

/**
 * Run the gateway call and settle the reservation exactly once. A failed call releases it. A
 * JSON answer settles on its usage alongside the reply rather than before it: on Redis that is
 * a round trip the client need not wait for (the reservation simply stays held a moment longer,
 * which only errs on the safe side). A stream keeps its reservation until it ends, when
 * `relayAndSettle` charges what the upstream reported.
 */
export async function settled<T>(guard: CallGuard, run: () => Promise<T>, usageOf: (r: T) => Usage | undefined | typeof SETTLE_AT_STREAM_END): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (err) {
    await guard.settle(undefined);
    throw err;
  }
  const usage = usageOf(result);
  if (usage !== SETTLE_AT_STREAM_END) guard.settle(usage).catch((err: unknown) => guard.onSettleError(err));
  return result;
}

export function sendJson(
  request: FastifyRequest,
  reply: FastifyReply,
  guard: CallGuard,
  answer: { body: unknown; usage: Usage | undefined; deploymentId?: string },
): void {
  const { body, usage } = answer;
  // Embeddings and rerank answers do not say which deployment served them; the call context does.
  const deploymentId = answer.deploymentId ?? guard.ctx.servedBy;
  const call = request.call;
  if (call) {
    call.usage = usage;
    call.deploymentId = deploymentId;
    call.responseBody = body;
  }
  reply.headers(guard.headers);
  if (deploymentId) reply.header('x-baimo-deployment', deploymentId);
  reply.send(body);
}

/** A committed stream the route relays: its events, the deployment serving it, and its usage once ended. */
export interface CallStream<E extends { type: string }> extends RelayableStream<E> {
  readonly deploymentId: string;
  usage(): Usage | undefined;
}

/**
 * Relay a committed stream to the client, then log it and settle its reservation, which was held
 * until the end, on what the upstream reported.
 */
export async function relayAndSettle<E extends { type: string }>(
  request: FastifyRequest,
  reply: FastifyReply,
  guard: CallGuard,
  stream: CallStream<E>,
  encoder: StreamEncoder<E>,
  headers: Record<string, string> = {},
): Promise<void> {
  reply.hijack();
  // Only for orgs that opted in to body logging; the request log redacts and caps it again.
  const principal = request.principal as Principal | undefined;
  const transcript = principal?.kind === 'key' && principal.logBodies ? streamTranscript(STREAM_BODY_CAPTURE_CHARS) : undefined;
  const result = await relayStream(
    reply.raw,
    stream,
    encoder,
    { ...guard.headers, ...headers, 'x-request-id': request.id, 'x-baimo-deployment': stream.deploymentId },
    transcript && ((frame) => transcript.add(frame)),
    request.server.usageDurable,
  );
  const usage = stream.usage();
  Object.assign(request.call!, {
    usage,
    deploymentId: stream.deploymentId,
    errorCode: result.error?.code,
    errorMessage: result.error?.message,
    ...(transcript ? { responseBody: transcript.text() } : {}),
  });
  await guard.settle(usage);
}
