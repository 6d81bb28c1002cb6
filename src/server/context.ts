import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Gateway, DeploymentStates } from '../router/index.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PlatformConfig } from '../config/types.js';
import type { Authenticator } from './auth.js';

/** Everything the HTTP layer needs, created once at start (composition root) and passed in. */
export interface AppDeps {
  gateway: Gateway;
  config: () => PlatformConfig;
  states: DeploymentStates;
  metrics: Metrics;
  authenticate: Authenticator;
  now: () => number;
  newId: (prefix: string) => string;
  /** False while starting or draining: /readyz answers 503. */
  isReady: () => boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Public model name once known to exist (metric label; never an arbitrary client string). */
    baimoModel?: string;
    /** Aborted when the client disconnects before the answer is complete. */
    clientSignal: AbortSignal;
  }
}

/** Abort signal tied to the client connection: fires if the response closes before it finished. */
export function attachClientSignal(request: FastifyRequest, reply: FastifyReply): void {
  const controller = new AbortController();
  request.clientSignal = controller.signal;
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
}
