import type { Capability, DeploymentConfig, ModelConfig, PlatformConfig, ProviderConfig } from '../config/types.js';
import type {
  ChatRequest,
  ChatResponse,
  CompletionRequest,
  EmbeddingsRequest,
  EmbeddingsResponse,
  RerankRequest,
  RerankResponse,
} from '../protocol/chat.js';
import { modelNotFound, unsupported } from '../protocol/errors.js';
import type { MessagesRequest } from '../protocol/anthropic/request-schema.js';
import type { AbortSignalLike } from '../providers/abort-like.js';
import type { Adapter, DecodeContext, HttpRequestSpec, UpstreamTarget } from '../providers/adapter.js';
import { ClientAbortError, fetchBuffered, readFailure, type Transport } from '../providers/transport.js';
import { isEstimated } from '../providers/estimated-usage.js';
import { CHUNKS_IN_FLIGHT, joinEmbeddings, mapInOrder, splitEmbeddingsRequest } from './embedding-chunks.js';
import { estimateChatTokens, estimateTextTokens } from './estimate.js';
import { executeWithFailover, type ExecuteDeps } from './execute.js';
import type { Lease, TenantRef } from './lease.js';
import { countTokensNatively, nativeJsonAnswer, openNativeStream, type MessagesOutcome } from './messages.js';
import { openStream, type OpenStream } from './upstream-stream.js';
import type { ReplayStore } from './replay-store.js';
import type { CompletionStreamEvent, StreamEvent } from '../protocol/stream-events.js';
import { parseUpstreamJson } from './upstream-json.js';

/**
 * The request path behind every surface: resolve the model, plan, attempt with failover, and hand
 * back either a parsed response or a committed stream. Surfaces (server/) encode the result;
 * tenancy and limits (issue #3) wrap calls to this object without changing it.
 */

export interface GatewayDeps extends Omit<ExecuteDeps, 'providerByName'> {
  config: () => PlatformConfig;
  adapterFor: (provider: ProviderConfig) => Adapter;
  transport: Transport;
  decode: DecodeContext;
  /** Provider replay data (thinking signatures) across turns. */
  replay: ReplayStore;
  /** Largest non-stream upstream body accepted. */
  maxUpstreamBodyBytes?: number;
}

export interface CallContext {
  requestId: string;
  /** The calling tenant; undefined for the platform operator. Scopes per-tenant state and metering. */
  tenant?: TenantRef;
  /** Route to this one deployment only (operator test calls). */
  pinDeployment?: string;
  /** Aborted when the client disconnects. */
  signal?: AbortSignalLike;
  /**
   * Set by the gateway as each attempt starts: once the call has succeeded, the deployment that
   * answered. Its price is what the call costs (a deployment may override its model's price).
   */
  servedBy?: string;
}

export type CompletionOutcome =
  | { kind: 'json'; body: Record<string, unknown>; deploymentId: string }
  | { kind: 'stream'; stream: OpenStream<CompletionStreamEvent> };

export type ChatOutcome =
  | { kind: 'json'; response: ChatResponse; deploymentId: string }
  | { kind: 'stream'; stream: OpenStream };

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

/** Name lookups for one config snapshot, built once per snapshot (the hot path must not scan lists). */
interface ConfigIndex {
  models: Map<string, ModelConfig>;
  providers: Map<string, ProviderConfig>;
  /** The attempt loop's dependencies for this snapshot (not rebuilt per request). */
  executeDeps: ExecuteDeps;
}

export class Gateway {
  private readonly indexes = new WeakMap<PlatformConfig, ConfigIndex>();

  constructor(private readonly deps: GatewayDeps) {}

  private index(config: PlatformConfig): ConfigIndex {
    let idx = this.indexes.get(config);
    if (!idx) {
      const providers = new Map(config.providers.map((p) => [p.name, p]));
      idx = {
        models: new Map(config.models.map((m) => [m.name, m])),
        providers,
        executeDeps: { ...this.deps, providerByName: (name) => providers.get(name) },
      };
      this.indexes.set(config, idx);
    }
    return idx;
  }

  /** The published model of that name, if any (no capability checks). */
  findModel(name: string): ModelConfig | undefined {
    return this.index(this.deps.config()).models.get(name);
  }

  /** Published models, for /v1/models. */
  models(): ModelConfig[] {
    return this.deps.config().models;
  }

  resolveModel(name: string, needs: Capability[]): ModelConfig {
    const model = this.findModel(name);
    if (!model) throw modelNotFound(name);
    for (const cap of needs) {
      if (!model.capabilities.includes(cap)) {
        throw unsupported(`The model '${name}' does not support ${capabilityLabel(cap)}.`, capabilityParam(cap));
      }
    }
    return model;
  }

  async chat(req: ChatRequest, ctx: CallContext): Promise<ChatOutcome> {
    const model = this.resolveModel(req.model, chatNeeds(req));
    const stream = req.stream === true;
    const scope = ctx.tenant?.orgId ?? 'operator';
    const request = this.deps.replay.restore(req, scope);
    // `return await`: an async function returning a bare promise costs V8 two extra microtask jobs.
    return await this.execute(ctx, model, 'chat', stream, estimateChatTokens(request), (lease, adapter, target) =>
      this.chatAttempt(request, { stream, scope, ctx }, lease, adapter, target),
    );
  }

  /**
   * The Anthropic Messages surface (`/v1/messages`). A deployment whose adapter speaks Messages
   * gets the client's body as given and its answer back as it came (messages.ts); any other gets
   * the canonical translation, exactly as a chat call — same capabilities, replay, failover and
   * metering (the attempt is a `chat` attempt either way), so a plan may mix both kinds.
   */
  async messages(req: MessagesRequest, ctx: CallContext): Promise<MessagesOutcome> {
    const model = this.resolveModel(req.chat.model, chatNeeds(req.chat));
    // Refused up front when no deployment could take the body as given: nothing is attempted.
    if (req.untranslatable && !model.deployments.some((d) => this.adapterOf(d)?.messages)) throw req.untranslatable;
    const stream = req.chat.stream === true;
    const scope = ctx.tenant?.orgId ?? 'operator';
    const request = this.deps.replay.restore(req.chat, scope);
    return this.execute(ctx, model, 'chat', stream, estimateChatTokens(request), async (lease, adapter, target): Promise<MessagesOutcome> => {
      if (!adapter.messages) {
        if (req.untranslatable) throw req.untranslatable;
        return this.chatAttempt(request, { stream, scope, ctx }, lease, adapter, target);
      }
      const startedAt = this.deps.now();
      const spec = adapter.messages.build(req.body, target, { stream, betas: req.betas });
      const native = { now: this.deps.now, decode: this.deps.decode };
      if (stream) return openNativeStream(await this.send(spec, lease, adapter, ctx), adapter, lease, native, startedAt);
      return nativeJsonAnswer(await this.fetchJson(spec, lease, adapter, ctx), adapter, lease, native, startedAt);
    });
  }

  /** Anthropic `count_tokens`: the preferred deployment's own count when it speaks Messages, else Baimo's estimate. */
  async countMessageTokens(req: MessagesRequest, ctx: CallContext): Promise<{ input_tokens: number; estimated: boolean }> {
    const model = this.resolveModel(req.chat.model, ['chat']);
    const providers = this.index(this.deps.config()).providers;
    const resolve = (d: DeploymentConfig) => {
      const provider = providers.get(d.provider);
      return provider && { adapter: this.deps.adapterFor(provider), target: { provider, upstreamModel: d.model } };
    };
    try {
      const counted = await countTokensNatively(this.deps.transport, model, resolve, req.body, { signal: ctx.signal, maxBody: this.maxBody(), betas: req.betas });
      if (counted !== undefined) return { input_tokens: counted, estimated: false };
    } catch (err) {
      if (err instanceof ClientAbortError) throw err;
      // An upstream that cannot count now still leaves the estimate, which is what count_tokens promises anyway.
    }
    const { chat } = req;
    return { input_tokens: estimateTextTokens([chat.messages, chat.tools ?? []]) + 4 * chat.messages.length, estimated: true };
  }

  private adapterOf(deployment: DeploymentConfig): Adapter | undefined {
    const provider = this.index(this.deps.config()).providers.get(deployment.provider);
    return provider && this.deps.adapterFor(provider);
  }

  /** One chat attempt on one deployment: build, send, and either commit to the stream or parse the body. */
  private async chatAttempt(
    request: ChatRequest,
    opts: { stream: boolean; scope: string; ctx: CallContext },
    lease: Lease,
    adapter: Adapter,
    target: UpstreamTarget,
  ): Promise<ChatOutcome> {
    const { stream, scope, ctx } = opts;
    const spec = adapter.chat.build(request, target, { stream });
    const startedAt = this.deps.now();
    if (stream) {
      const opened = await openStream(await this.send(spec, lease, adapter, ctx), adapter.chat.decoder(this.deps.decode), lease, this.deps.now, startedAt);
      return { kind: 'stream', stream: tapStream(opened, this.deps.replay.streamRecorder(scope)) };
    }
    const response = adapter.chat.parse(await this.fetchJson(spec, lease, adapter, ctx), this.deps.decode);
    this.deps.replay.rememberResponse(response, scope);
    lease.finish({ status: 200, usage: response.usage, ttftMs: this.deps.now() - startedAt });
    return { kind: 'json', response, deploymentId: lease.deployment.id };
  }

  /**
   * Legacy completions, relayed in OpenAI's shape. A stream is committed like a chat stream (same
   * openStream: failover only until its first chunk, usage captured as it passes).
   */
  async completions(req: CompletionRequest, ctx: CallContext): Promise<CompletionOutcome> {
    const model = this.resolveModel(req.model, ['chat']);
    const stream = req.stream === true;
    return this.execute(ctx, model, 'completions', stream, estimateTextTokens(req.prompt), async (lease, adapter, target): Promise<CompletionOutcome> => {
      if (!adapter.completions) throw unsupported(`The model '${req.model}' does not support the legacy completions API; use /v1/chat/completions.`, 'model');
      const startedAt = this.deps.now();
      const spec = adapter.completions.build(req, target, { stream });
      if (stream) return { kind: 'stream', stream: await openStream(await this.send(spec, lease, adapter, ctx), adapter.completions.decoder(this.deps.decode), lease, this.deps.now, startedAt) };
      const body = adapter.completions.parse(await this.fetchJson(spec, lease, adapter, ctx), this.deps.decode);
      lease.finish({ status: 200, usage: body.usage as ChatResponse['usage'], ttftMs: this.deps.now() - startedAt });
      return { kind: 'json', body, deploymentId: lease.deployment.id };
    });
  }

  async embeddings(req: EmbeddingsRequest, ctx: CallContext): Promise<EmbeddingsResponse> {
    const model = this.resolveModel(req.model, ['embeddings']);
    return this.execute(ctx, model, 'embeddings', false, estimateTextTokens(req.input), async (lease, adapter, target) => {
      const codec = adapter.embeddings;
      if (!codec) throw unsupported(`The model '${req.model}' has no embeddings deployment.`, 'model');
      const startedAt = this.deps.now();
      // An upstream with a per-call cap gets the inputs in chunks (a few at once) on this one lease.
      const chunks = splitEmbeddingsRequest(req, codec.maxInputs?.(target));
      const answers = await mapInOrder(chunks, CHUNKS_IN_FLIGHT, async (chunk) => {
        return codec.parse(await this.fetchJson(codec.build(chunk, target), lease, adapter, ctx), this.deps.decode, chunk);
      });
      const body = joinEmbeddings(chunks, answers);
      lease.finish({
        status: 200,
        usage: { prompt_tokens: body.usage.prompt_tokens, completion_tokens: 0, total_tokens: body.usage.total_tokens },
        usageEstimated: answers.some((answer) => isEstimated(answer.usage)),
        ttftMs: this.deps.now() - startedAt,
      });
      return body;
    });
  }

  async rerank(req: RerankRequest, ctx: CallContext): Promise<RerankResponse> {
    const model = this.resolveModel(req.model, ['rerank']);
    const texts = [req.query, ...req.documents.map((d) => (typeof d === 'string' ? d : d.text))];
    return this.execute(ctx, model, 'rerank', false, estimateTextTokens(texts), async (lease, adapter, target) => {
      if (!adapter.rerank) throw unsupported(`The model '${req.model}' has no rerank deployment.`, 'model');
      const startedAt = this.deps.now();
      const body = adapter.rerank.parse(await this.fetchJson(adapter.rerank.build(req, target), lease, adapter, ctx), this.deps.decode, req);
      const total = body.usage.total_tokens;
      lease.finish({
        status: 200,
        usage: { prompt_tokens: total, completion_tokens: 0, total_tokens: total },
        usageEstimated: isEstimated(body.usage),
        ttftMs: this.deps.now() - startedAt,
      });
      return body;
    });
  }

  private execute<T>(
    ctx: CallContext,
    model: ModelConfig,
    endpoint: 'chat' | 'completions' | 'embeddings' | 'rerank',
    stream: boolean,
    estimatedTokens: number,
    attempt: (lease: Lease, adapter: Adapter, target: { provider: ProviderConfig; upstreamModel: string }) => Promise<T>,
  ): Promise<T> {
    const config = this.deps.config();
    if (ctx.pinDeployment) model = { ...model, deployments: model.deployments.filter((d) => d.id === ctx.pinDeployment) };
    return executeWithFailover(
      this.index(config).executeDeps,
      { requestId: ctx.requestId, tenant: ctx.tenant, endpoint, model, routing: config.routing, stream, estimatedTokens, signal: ctx.signal },
      (lease) => {
        ctx.servedBy = lease.deployment.id;
        const adapter = this.deps.adapterFor(lease.provider);
        return attempt(lease, adapter, { provider: lease.provider, upstreamModel: lease.deployment.model });
      },
    );
  }

  /** Send and turn a non-2xx answer into the adapter's typed error (thrown: the loop decides). */
  private async send(spec: HttpRequestSpec, lease: Lease, adapter: Adapter, ctx: CallContext) {
    const res = await this.deps.transport.send(spec, lease.deployment.timeouts, ctx.signal);
    if (res.status >= 200 && res.status < 300) return res;
    throw adapter.mapError(await readFailure(res));
  }

  /** Send a non-stream call and parse its JSON answer; a non-2xx answer becomes the adapter's typed error. */
  private async fetchJson(spec: HttpRequestSpec, lease: Lease, adapter: Adapter, ctx: CallContext): Promise<unknown> {
    const res = await fetchBuffered(this.deps.transport, spec, lease.deployment.timeouts, ctx.signal, this.maxBody());
    if (res.status >= 200 && res.status < 300) return parseUpstreamJson(res.text);
    throw adapter.mapError({ status: res.status, headers: res.headers, body: res.text });
  }

  private maxBody(): number {
    return this.deps.maxUpstreamBodyBytes ?? DEFAULT_MAX_BODY;
  }
}

/** Observe every event of a committed stream without buffering it. */
function tapStream(stream: OpenStream, tap: { observe(e: StreamEvent): void; done(): void }): OpenStream {
  return {
    deploymentId: stream.deploymentId,
    usage: stream.usage,
    async *events() {
      try {
        for await (const event of stream.events()) {
          tap.observe(event);
          yield event;
        }
      } finally {
        tap.done();
      }
    },
  };
}

function chatNeeds(req: ChatRequest): Capability[] {
  const needs: Capability[] = ['chat'];
  if (req.tools && req.tools.length > 0) needs.push('tools');
  if (req.response_format && req.response_format.type !== 'text') needs.push('json');
  const hasImage = req.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));
  if (hasImage) needs.push('vision');
  return needs;
}

function capabilityLabel(cap: Capability): string {
  switch (cap) {
    case 'tools':
      return 'tool calling';
    case 'json':
      return 'JSON response formats';
    case 'vision':
      return 'image input';
    default:
      return cap;
  }
}

function capabilityParam(cap: Capability): string {
  switch (cap) {
    case 'tools':
      return 'tools';
    case 'json':
      return 'response_format';
    case 'vision':
      return 'messages';
    default:
      return 'model';
  }
}
