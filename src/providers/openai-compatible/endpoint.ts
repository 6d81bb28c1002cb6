import type { ProviderConfig } from '../../config/types.js';
import type { HttpRequestSpec, UpstreamTarget } from '../adapter.js';
import type { VendorEntry } from './vendors.js';

/** URL and headers of one upstream call (Appendix A "base URL + path", "auth header", "extra static headers"). */

export function buildUrl(vendor: VendorEntry, target: UpstreamTarget, path: string): string {
  if (vendor.hooks.url) return vendor.hooks.url(target.provider, path, target.upstreamModel);
  return target.provider.base_url.replace(/\/+$/, '') + path;
}

export function buildHeaders(vendor: VendorEntry, provider: ProviderConfig, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
  };
  // Static operator headers (Qianfan `appid`, DashScope `X-DashScope-WorkSpace`, …) come next.
  for (const [name, value] of Object.entries(provider.headers)) setHeader(headers, name, value);
  if (provider.api_key && vendor.auth === 'bearer') setHeader(headers, 'authorization', `Bearer ${provider.api_key}`);
  if (provider.api_key && vendor.auth === 'api-key') setHeader(headers, 'api-key', provider.api_key);
  return headers;
}

/** A POST of `body` as JSON to `path`. */
export function postJson(
  vendor: VendorEntry,
  target: UpstreamTarget,
  path: string,
  body: Record<string, unknown>,
  stream = false,
): HttpRequestSpec {
  return {
    method: 'POST',
    url: buildUrl(vendor, target, path),
    headers: buildHeaders(vendor, target.provider, stream),
    body: JSON.stringify(body),
  };
}

/** Sets a header, replacing any spelling of the same name in another case. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const existing of Object.keys(headers)) {
    if (existing.toLowerCase() === lower) delete headers[existing];
  }
  headers[name] = value;
}
