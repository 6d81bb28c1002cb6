/**
 * What the request path needs of a cancellation signal: a real AbortSignal is one, and so is the
 * server's per-request `ClientAbort` (server/client-abort.ts), which is much cheaper to make and
 * to subscribe to than an AbortSignal on Node 20.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
