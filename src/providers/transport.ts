import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { TimeoutsConfig } from '../config/types.js';
import { BaimoError, upstreamTimeout, upstreamUnreachable } from '../protocol/errors.js';
import type { AbortSignalLike } from './abort-like.js';
import type { HttpRequestSpec, UpstreamFailure } from './adapter.js';
import { BufferingHandler, MAX_ERROR_BODY, upstreamTooLarge, type BufferedResponse } from './buffered-response.js';

/**
 * The only network I/O for upstream calls: a keep-alive undici pool per (origin, connect timeout),
 * the four timeouts of an attempt, abort, and classification of connection failures into
 * retryable BaimoErrors. Adapters build `HttpRequestSpec`s; this file sends them.
 */

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & AsyncIterable<Buffer>;
  /** Stops the total-time timer once the caller has finished with the body. */
  release(): void;
  /** Classify an error thrown while reading the body (knows whether the total timer or the client fired). */
  classify(err: unknown): Error;
}

/** Raised when the caller's own signal (client disconnect) aborted the attempt; never retried. */
export class ClientAbortError extends Error {
  constructor() {
    super('Client closed the request.');
    this.name = 'ClientAbortError';
  }
}

export interface Transport {
  send(spec: HttpRequestSpec, timeouts: TimeoutsConfig, signal?: AbortSignalLike): Promise<UpstreamResponse>;
  /**
   * Send and read the whole answer (non-stream calls), without a body stream per response. Same
   * timeouts, abort and error classification as `send`; a 2xx body over `limitBytes` is a 502.
   * Optional: `fetchBuffered` falls back to `send` for transports without it (test doubles).
   */
  fetchText?(spec: HttpRequestSpec, timeouts: TimeoutsConfig, signal: AbortSignalLike | undefined, limitBytes: number): Promise<BufferedResponse>;
  close(): Promise<void>;
}

/**
 * An upstream served inside this process (the `local` GGUF engine): it takes the same specs and
 * answers with the same responses, for URLs of its scheme (`local://<provider>/chat/completions`),
 * so adapters, router, relay and metering treat it like any server. No socket is opened.
 */
export interface InProcessUpstream {
  /** URL prefix it serves, e.g. `local://`. */
  readonly prefix: string;
  send(spec: HttpRequestSpec, timeouts: TimeoutsConfig, signal?: AbortSignalLike): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export function createTransport(opts: { connections?: number; inProcess?: readonly InProcessUpstream[] } = {}): Transport {
  const inProcess = opts.inProcess ?? [];
  const agents = new Map<number, Agent>();
  const agentFor = (connectMs: number): Agent => {
    let agent = agents.get(connectMs);
    if (!agent) {
      agent = new Agent({
        connect: { timeout: connectMs },
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connections: opts.connections ?? 256,
        pipelining: 1,
      });
      agents.set(connectMs, agent);
    }
    return agent;
  };

  return {
    async send(spec, timeouts, signal) {
      if (signal?.aborted) throw new ClientAbortError();
      for (const upstream of inProcess) if (spec.url.startsWith(upstream.prefix)) return upstream.send(spec, timeouts, signal);
      // undici accepts an EventEmitter as its abort signal: much cheaper per request than an
      // AbortController (which showed in the bench profile), fired by the total timer or the client.
      const abort = new EventEmitter() as EventEmitter & { aborted?: boolean };
      const watch = watchCall(timeouts.total_ms, signal, () => {
        if (abort.aborted) return;
        abort.aborted = true;
        abort.emit('abort');
      });
      const release = () => watch.release();
      try {
        const { origin, path } = splitUrl(spec.url);
        const headers = spec.sign ? { ...spec.headers, ...(await spec.sign(spec)) } : spec.headers;
        const res = await agentFor(timeouts.connect_ms).request({
          origin,
          path,
          method: spec.method,
          headers,
          body: spec.body,
          signal: abort,
          headersTimeout: timeouts.first_byte_ms,
          bodyTimeout: timeouts.idle_ms,
        } as Dispatcher.RequestOptions);
        const body = res.body as unknown as UpstreamResponse['body'];
        // Errors surfacing while the body streams are classified the same way as before it.
        const classify = (e: unknown) =>
          classifyTransportError(e, { totalTimedOut: watch.totalTimedOut, clientAborted: signal?.aborted === true });
        return { status: res.statusCode, headers: res.headers, body, release, classify };
      } catch (err) {
        release();
        throw classifyTransportError(err, { totalTimedOut: watch.totalTimedOut, clientAborted: signal?.aborted === true });
      }
    },
    fetchText(spec, timeouts, signal, limitBytes) {
      // Not an async function: an unsigned call (nearly all) costs no extra promise.
      if (signal?.aborted) return Promise.reject(new ClientAbortError());
      for (const upstream of inProcess) {
        if (spec.url.startsWith(upstream.prefix)) return upstream.send(spec, timeouts, signal).then((res) => readWhole(res, limitBytes));
      }
      const agent = agentFor(timeouts.connect_ms);
      if (spec.sign) return spec.sign(spec).then((signed) => dispatchBuffered(agent, spec, { ...spec.headers, ...signed }, timeouts, signal, limitBytes));
      return dispatchBuffered(agent, spec, spec.headers, timeouts, signal, limitBytes);
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
      await Promise.all(inProcess.map((upstream) => upstream.close()));
      agents.clear();
    },
  };
}

/** `fetchText` on the wire: one dispatch whose handler collects the answer, under the attempt's timeouts and the client's signal. */
function dispatchBuffered(
  agent: Agent,
  spec: HttpRequestSpec,
  headers: Record<string, string>,
  timeouts: TimeoutsConfig,
  signal: AbortSignalLike | undefined,
  limitBytes: number,
): Promise<BufferedResponse> {
  const { origin, path } = splitUrl(spec.url);
  return new Promise<BufferedResponse>((resolve, reject) => {
    const handler = new BufferingHandler(limitBytes, (err, res) => {
      watch.release();
      if (err) reject(classifyTransportError(err, { totalTimedOut: watch.totalTimedOut, clientAborted: signal?.aborted === true }));
      else resolve(res!);
    });
    const watch = watchCall(timeouts.total_ms, signal, (cause) => handler.abort(cause === 'client' ? new ClientAbortError() : new Error('total time limit reached')));
    agent.dispatch({ origin, path, method: spec.method, headers, body: spec.body, headersTimeout: timeouts.first_byte_ms, bodyTimeout: timeouts.idle_ms }, handler);
  });
}

/**
 * The two things that end an upstream call early, for both ways of sending one: the attempt's
 * total time limit and the client's disconnect. `abort` is told which; `totalTimedOut` says
 * afterwards whether the timer fired, for classifying the error. `release` once the call is over.
 */
function watchCall(totalMs: number, signal: AbortSignalLike | undefined, abort: (cause: 'total' | 'client') => void): { readonly totalTimedOut: boolean; release(): void } {
  const onClientAbort = () => abort('client');
  const watch = {
    totalTimedOut: false,
    release() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onClientAbort);
    },
  };
  const timer = setTimeout(() => {
    watch.totalTimedOut = true;
    abort('total');
  }, totalMs);
  timer.unref();
  signal?.addEventListener('abort', onClientAbort, { once: true });
  return watch;
}

/** origin + path of an absolute http(s) URL, without a `URL` object per request (hot path). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/** Map undici/socket failures to Baimo's typed errors (all retryable before the first byte). */
export function classifyTransportError(
  err: unknown,
  ctx: { totalTimedOut?: boolean; clientAborted?: boolean } = {},
): Error {
  if (BaimoError.is(err) || err instanceof ClientAbortError) return err;
  if (ctx.clientAborted) return new ClientAbortError();
  if (ctx.totalTimedOut) return upstreamTimeout('total', err);
  if (err instanceof undiciErrors.ConnectTimeoutError) return upstreamTimeout('connect', err);
  if (err instanceof undiciErrors.HeadersTimeoutError) return upstreamTimeout('first_byte', err);
  if (err instanceof undiciErrors.BodyTimeoutError) return upstreamTimeout('idle', err);
  return upstreamUnreachable(err);
}

/** Read a failed response's body (bounded) for the adapter's error mapper. */
export async function readFailure(res: UpstreamResponse): Promise<UpstreamFailure> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      if (size < MAX_ERROR_BODY) chunks.push(chunk);
      size += chunk.length;
    }
  } catch {
    // A broken error body still tells us the status; keep what arrived.
  } finally {
    res.release();
  }
  return { status: res.status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY) };
}

/** Read a successful JSON body fully (non-stream responses are small and parsed once). */
export async function readBody(res: UpstreamResponse, limitBytes: number): Promise<string> {
  const declared = Number(res.headers['content-length']);
  if (declared > 0 && declared <= limitBytes) {
    // Fast path: undici collects a body of known size in one go.
    try {
      return await (res.body as unknown as { text(): Promise<string> }).text();
    } catch (err) {
      throw res.classify(err);
    } finally {
      res.release();
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > limitBytes) {
        res.body.destroy();
        throw upstreamTooLarge();
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw res.classify(err);
  } finally {
    res.release();
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** The whole answer of any transport: its `fetchText` where it has one, else `send` and a read. */
export function fetchBuffered(
  transport: Transport,
  spec: HttpRequestSpec,
  timeouts: TimeoutsConfig,
  signal: AbortSignalLike | undefined,
  limitBytes: number,
): Promise<BufferedResponse> {
  if (transport.fetchText) return transport.fetchText(spec, timeouts, signal, limitBytes);
  return transport.send(spec, timeouts, signal).then((res) => readWhole(res, limitBytes));
}

async function readWhole(res: UpstreamResponse, limitBytes: number): Promise<BufferedResponse> {
  if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, text: await readBody(res, limitBytes) };
  const failure = await readFailure(res);
  return { status: failure.status, headers: failure.headers, text: failure.body };
}
