import { BaimoError } from '../protocol/errors.js';

/**
 * Failures of a tenant-supplied URL fetch. All are the caller's problem (400), never retried.
 * Messages may repeat what the user typed but never a resolved address or a redirect target,
 * so the guard cannot be used to map our internal network.
 */

const fetchError = (code: string, message: string, cause?: unknown) =>
  new BaimoError('validation', message, { status: 400, code, param: 'url', cause });

export const urlInvalid = (reason: string) => fetchError('url_invalid', `The URL is not valid: ${reason}.`);

export const urlForbidden = (host: string) =>
  fetchError('url_forbidden', `Fetching '${host}' is not allowed: it is or resolves to a non-public address.`);

export const redirectForbidden = () =>
  fetchError('url_forbidden', 'The URL redirected to an address that is not allowed.');

export const fetchTooLarge = (maxBytes: number) =>
  fetchError('fetch_too_large', `The fetched document exceeds the limit of ${maxBytes} bytes.`);

export const fetchTimeout = (timeoutMs: number) =>
  fetchError('fetch_timeout', `Fetching the URL took longer than ${timeoutMs} ms.`);

export const fetchContentType = (contentType: string) =>
  fetchError('fetch_content_type', `The URL returned content of type '${contentType}', which is not accepted.`);

export const fetchFailed = (reason: string, cause?: unknown) =>
  fetchError('fetch_failed', `Fetching the URL failed: ${reason}.`, cause);
