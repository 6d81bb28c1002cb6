import { Agent, request } from 'undici';
import { BaimoError } from '../protocol/errors.js';
import {
  fetchContentType,
  fetchFailed,
  fetchTimeout,
  fetchTooLarge,
  redirectForbidden,
  urlForbidden,
  urlInvalid,
} from './fetch-errors.js';
import { pinnedLookup } from './pinned-lookup.js';
import { resolveTarget, type AddressPolicy, type LookupFn, type ResolvedAddress } from './resolve-target.js';

export interface SafeFetchOptions extends AddressPolicy {
  lookup: LookupFn;
  maxBytes: number;
  /** Budget for the whole fetch: every lookup, connect, redirect and the body. */
  timeoutMs: number;
  maxRedirects: number;
  /** Media types (`text/html`) or families (`text/*`); omitted means any. */
  allowedContentTypes?: readonly string[];
  headers?: Record<string, string>;
  /** Default GET. A POST (a webhook) sends `body` and is never redirected: see `anyStatus`. */
  method?: 'GET' | 'POST';
  body?: string;
  /**
   * Answer the first response whatever its status (a webhook's caller decides what a 4xx or 5xx
   * means) instead of following redirects and refusing non-2xx statuses.
   */
  anyStatus?: boolean;
  /** Timer seam; returns a cancel function. Defaults to the global setTimeout. */
  setTimer?: (fire: () => void, ms: number) => () => void;
}

export interface SafeFetchResult {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType: string;
  bytes: Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const defaultTimer = (fire: () => void, ms: number) => {
  const t = setTimeout(fire, ms);
  return () => clearTimeout(t);
};

/**
 * GETs (or POSTs, for webhooks) a tenant-supplied URL without letting it reach our own network:
 * each hop's host is resolved once through the injected lookup, checked, and the socket is pinned
 * to that checked address. Redirects are followed by hand so every hop is checked the same way.
 *
 * @example await safeFetch('https://example.com/doc.pdf', { lookup, maxBytes: 20e6, timeoutMs: 15_000, maxRedirects: 5 })
 */
export async function safeFetch(input: string, opts: SafeFetchOptions): Promise<SafeFetchResult> {
  let url = parseHttpUrl(input);
  if (!url) throw urlInvalid('only absolute http and https URLs are accepted');
  const controller = new AbortController();
  const cancelTimer = (opts.setTimer ?? defaultTimer)(() => controller.abort(), opts.timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      const outcome = await untilAborted(resolveTarget(url.hostname, opts.lookup, opts), controller.signal);
      if (!outcome.ok) throw hop === 0 ? urlForbidden(url.hostname) : redirectForbidden();
      const step = await fetchHop(url, outcome.target, controller.signal, opts);
      if ('body' in step) return { url: url.href, ...step.body };
      if (hop >= opts.maxRedirects) throw fetchFailed(`more than ${opts.maxRedirects} redirects`);
      const next = parseHttpUrl(step.location, url);
      if (!next) throw fetchFailed('the server redirected to a URL that is not http or https');
      url = next;
    }
  } catch (err) {
    if (controller.signal.aborted) throw fetchTimeout(opts.timeoutMs);
    if (BaimoError.is(err)) throw err;
    throw fetchFailed('the connection to the server failed', err);
  } finally {
    cancelTimer();
  }
}

type HopResult = { location: string } | { body: Omit<SafeFetchResult, 'url'> };

async function fetchHop(url: URL, target: ResolvedAddress, signal: AbortSignal, opts: SafeFetchOptions): Promise<HopResult> {
  // One agent per hop: a pooled socket must never be reused for a different checked address.
  const agent = new Agent({ connect: { lookup: pinnedLookup(target.address, target.family) } });
  try {
    const res = await request(url, {
      dispatcher: agent,
      method: opts.method ?? 'GET',
      body: opts.body,
      signal,
      // identity: undici's request() does not decompress, and a compressed body would make
      // maxBytes count wire bytes rather than the document.
      headers: { 'accept-encoding': 'identity', ...opts.headers },
    });
    const location = header(res.headers, 'location');
    if (REDIRECTS.has(res.statusCode) && location && !opts.anyStatus) {
      await res.body.dump();
      return { location };
    }
    if (!opts.anyStatus && (res.statusCode < 200 || res.statusCode > 299)) {
      await res.body.dump();
      throw fetchFailed(`the server answered with status ${res.statusCode}`);
    }
    const contentType = header(res.headers, 'content-type') ?? '';
    if (!contentTypeAllowed(contentType, opts.allowedContentTypes)) {
      discard(res.body);
      throw fetchContentType(mediaType(contentType) || 'unknown');
    }
    const declared = Number(header(res.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      discard(res.body);
      throw fetchTooLarge(opts.maxBytes);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res.body) {
      total += (chunk as Buffer).length;
      if (total > opts.maxBytes) {
        // Content-Length may be absent or lie; stop reading the moment the limit is crossed.
        discard(res.body);
        throw fetchTooLarge(opts.maxBytes);
      }
      chunks.push(chunk as Buffer);
    }
    return { body: { status: res.statusCode, contentType, bytes: Buffer.concat(chunks, total) } };
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

/** Drops a body we refuse; undici emits an AbortError on destroy that nobody else would hear. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

function parseHttpUrl(text: string, base?: URL): URL | null {
  let url: URL;
  try {
    // WHATWG parsing also canonicalises odd IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1).
    url = new URL(text, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

function contentTypeAllowed(contentType: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  const media = mediaType(contentType);
  return allowed.some((a) => {
    const want = a.toLowerCase();
    return want.endsWith('/*') ? media.startsWith(want.slice(0, -1)) : media === want;
  });
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // The injected lookup takes no signal, so the total timeout has to race it.
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
