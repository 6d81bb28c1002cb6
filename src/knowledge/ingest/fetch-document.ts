import { lookup } from 'node:dns/promises';
import { safeFetch, type AddressPolicy } from '../../net/index.js';
import type { FetchedDocument } from './ingest-job.js';

/** The content types a document URL may answer with (what the parsers read). */
const DOCUMENT_TYPES = [
  'text/*',
  'application/pdf',
  'application/json',
  'application/xhtml+xml',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/octet-stream',
];

export interface DocumentFetchOptions extends AddressPolicy {
  maxBytes: number;
  timeoutMs: number;
}

/** Tenant URLs are fetched only through the SSRF guard (src/net): public addresses, every redirect re-checked, DNS pinned. */
export function createDocumentFetcher(opts: DocumentFetchOptions): (url: string) => Promise<FetchedDocument> {
  return async (url) => {
    const res = await safeFetch(url, {
      lookup: (host) => lookup(host, { all: true }),
      maxBytes: opts.maxBytes,
      timeoutMs: opts.timeoutMs,
      maxRedirects: 5,
      allowedContentTypes: DOCUMENT_TYPES,
      allowPrivate: opts.allowPrivate,
      allowedHosts: opts.allowedHosts,
      headers: { accept: 'text/html, text/markdown, text/plain, application/pdf, application/json, */*;q=0.5', 'user-agent': 'Baimo-Knowledge/0.1' },
    });
    return { bytes: res.bytes, contentType: res.contentType };
  };
}
