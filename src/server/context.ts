import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClientAbort } from './client-abort.js';
import type { Gateway, DeploymentStates, TenantRef } from '../router/index.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ModelConfig, PlatformConfig } from '../config/types.js';
import type { Usage } from '../protocol/chat.js';
import type { ResponseStore } from '../responses/index.js';
import type { Principal } from '../tenancy/index.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { CallEstimate, CallGuard, CallGuardOptions } from './call-guard.js';

/** Everything the HTTP layer needs, created once at start (composition root) and passed in. */
export interface AppDeps {
  gateway: Gateway;
  config: () => PlatformConfig;
  states: DeploymentStates;
  metrics: Metrics;
  authenticate: (request: FastifyRequest) => Promise<Principal>;
  /** Admit a model call under the caller's limits (tenancy + limits); synchronous where the limiter can decide at once. */
  guard: (request: FastifyRequest, model: ModelConfig, estimate: CallEstimate, opts?: CallGuardOptions) => CallGuard | Promise<CallGuard>;
  /** Routes contributed by other modules (tenancy admin API, usage, request logs). */
  plugins: ((app: import('fastify').FastifyInstance) => void)[];
  /** Stored Responses-API responses (`/v1/responses`). */
  responses: ResponseStore;
  /** Knowledge bases (`/v1/knowledge_bases…`). */
  knowledge: Knowledge;
  /** Largest document upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Settles once the usage events recorded so far are journaled (metering); answers wait for it. */
  usageDurable?: () => Promise<void> | undefined;
  /** Called once per finished request (request log). */
  onRequestDone?: (request: FastifyRequest, status: number, latencyMs: number) => void;
  now: () => number;
  newId: (prefix: string) => string;
  /** False while starting or draining: /readyz answers 503. */
  isReady: () => boolean;
}

/** What the request log needs to know about a model call, filled in by the route as it goes. */
export interface CallRecord {
  endpoint: string;
  model: string;
  stream: boolean;
  /** Who pays (key or console user's org); undefined for the operator. */
  tenant?: TenantRef;
  deploymentId?: string;
  usage?: Usage;
  errorCode?: string;
  errorMessage?: string;
  responseBody?: unknown;
}

/** The wire protocol a route speaks, which decides the shape of its errors. */
export type Surface = 'openai' | 'anthropic';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on a route whose errors are not OpenAI-shaped (`{ config: { surface: 'anthropic' } }`). */
    surface?: Surface;
  }
  interface FastifyRequest {
    /** Public model name once known to exist (metric label; never an arbitrary client string). */
    baimoModel?: string;
    /** Aborted when the client disconnects before the answer is complete (made on first use). */
    clientSignal: AbortSignal;
    /** The same as a cheap ClientAbort: what model calls pass down (see client-abort.ts). */
    clientAbort: ClientAbort;
    /** Who is calling (set by the auth hook on protected routes). */
    principal: Principal;
    /** Set on model calls, for the request log. */
    call?: CallRecord;
    /** The code of the error this request was answered with (error handler), for metrics. */
    errorCode?: string;
  }
}

/**
 * The surface a request speaks: its route's, or for an unknown path under `/v1/messages` (no
 * route, so no route config) Anthropic's, so that Anthropic clients always get errors they parse.
 */
export function surfaceOf(request: FastifyRequest): Surface {
  const configured = request.routeOptions.config?.surface;
  if (configured) return configured;
  return /^\/v1\/messages(\/|\?|$)/.test(request.url) ? 'anthropic' : 'openai';
}

/**
 * Abort signal tied to the client connection. The caller owns the response's one 'close'
 * listener and calls the returned function from it: the signal fires if the response closed
 * before it finished.
 */
export function attachClientSignal(request: FastifyRequest, reply: FastifyReply): () => void {
  const abort = new ClientAbort();
  request.clientAbort = abort;
  return () => {
    if (!reply.raw.writableFinished) abort.abort();
  };
}

/** `request.clientSignal`: a real AbortSignal, made only when a route asks for one. */
export function decorateClientSignal(app: FastifyInstance): void {
  app.decorateRequest('clientAbort', null as unknown as ClientAbort);
  app.decorateRequest('clientSignal', {
    getter(this: FastifyRequest) {
      return this.clientAbort.signal;
    },
  });
}
