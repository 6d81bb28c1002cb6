import type { Dispatcher } from 'undici';
import { BaimoError } from '../protocol/errors.js';

/**
 * A whole non-streamed upstream answer, read straight off undici's dispatcher into one string.
 * undici's `request()` gives every response a body stream (a Readable, an async resource, an
 * abort listener) that a JSON answer only needs to be read once; collecting the chunks in a
 * dispatch handler skips all of it. In-place A/B on the bench: 13 µs less CPU per request.
 */

export interface BufferedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body; for a non-2xx answer only its first `MAX_ERROR_BODY` characters (the rest is read and dropped). */
  text: string;
}

/** Kept of an error body: enough for any provider's error JSON. */
export const MAX_ERROR_BODY = 8 * 1024;

export const upstreamTooLarge = () =>
  new BaimoError('upstream', 'Upstream response exceeds the size limit.', { status: 502, code: 'upstream_response_too_large' });

/**
 * Collects one response. A 2xx body over `limitBytes` aborts the request (502); an error body is
 * read to its end, so the connection stays reusable, and capped. `abort` works before the request
 * is on a socket too: it then takes effect as soon as undici starts it.
 */
export class BufferingHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private reason: Error | undefined;
  private status = 0;
  private headers: BufferedResponse['headers'] = {};
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly limitBytes: number,
    private readonly settle: (err: Error | null, res?: BufferedResponse) => void,
  ) {}

  abort(reason: Error): void {
    this.reason ??= reason;
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: BufferedResponse['headers']): void {
    if (statusCode < 200) return; // 1xx: the real answer follows
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const ok = this.status >= 200 && this.status < 300;
    if (ok && this.size + chunk.length > this.limitBytes) {
      controller.abort(upstreamTooLarge());
      return;
    }
    if (!ok && this.size >= MAX_ERROR_BODY) return;
    this.size += chunk.length;
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const { chunks } = this;
    let text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    if (this.status < 200 || this.status >= 300) text = text.slice(0, MAX_ERROR_BODY);
    this.settle(null, { status: this.status, headers: this.headers, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.settle(err);
  }
}
