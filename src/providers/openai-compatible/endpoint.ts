import type { ProviderConfig } from '../../config/types.js';
import type { HttpRequestSpec, UpstreamTarget } from '../adapter.js';
import type { VendorEntry } from './vendors.js';

/** URL and headers of one upstream call (Appendix A "base URL + path", "auth header", "extra static headers"). */

/** A route: a path under `base_url`, or one absolute from its host (`fromHost`, DashScope rerank §6.5). */
export type RoutePath = string | { readonly path: string; readonly fromHost?: boolean };

export function buildUrl(vendor: VendorEntry, target: UpstreamTarget, route: RoutePath): string {
  const { path, fromHost = false } = typeof route === 'string' ? { path: route } : route;
  if (vendor.hooks.url) return vendor.hooks.url(target.provider, path, target.upstreamModel);
  const base = perProvider(vendor, target.provider).base;
  return (fromHost ? hostBase(vendor, base) : base) + path;
}

/**
 * The part of `base_url` a host-absolute path goes after: `base_url` minus the path of the vendor's
 * default base URL when it ends with it (so `https://dashscope-intl.aliyuncs.com/compatible-mode/v1`
 * → `https://dashscope-intl.aliyuncs.com`, and a proxy prefix such as `https://gw/dashscope/compatible-mode/v1`
 * keeps `/dashscope`), otherwise its origin (workspace hosts `https://{ws}.{region}.maas.aliyuncs.com/compatible-api/v1`).
 */
export function hostBase(vendor: VendorEntry, baseUrl: string): string {
  const defaultPath = vendor.defaultBaseUrl ? new URL(vendor.defaultBaseUrl).pathname.replace(/\/+$/, '') : '';
  if (defaultPath !== '' && baseUrl.endsWith(defaultPath)) return baseUrl.slice(0, -defaultPath.length);
  return new URL(baseUrl).origin;
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

/**
 * What every call to one provider shares, worked out once per config snapshot (provider objects
 * are immutable and replaced on reload): its base URL and its two header sets, frozen because
 * every request's spec shares them.
 */
interface ProviderParts {
  vendor: VendorEntry;
  base: string;
  headers: readonly [Readonly<Record<string, string>>, Readonly<Record<string, string>>];
}

const partsByProvider = new WeakMap<ProviderConfig, ProviderParts>();

function perProvider(vendor: VendorEntry, provider: ProviderConfig): ProviderParts {
  let parts = partsByProvider.get(provider);
  if (!parts || parts.vendor !== vendor) {
    parts = {
      vendor,
      base: provider.base_url.replace(/\/+$/, ''),
      headers: [Object.freeze(buildHeaders(vendor, provider, false)), Object.freeze(buildHeaders(vendor, provider, true))],
    };
    partsByProvider.set(provider, parts);
  }
  return parts;
}

/** A POST of `body` as JSON to `route`. */
export function postJson(
  vendor: VendorEntry,
  target: UpstreamTarget,
  route: RoutePath,
  body: Record<string, unknown>,
  stream = false,
): HttpRequestSpec {
  return {
    method: 'POST',
    url: buildUrl(vendor, target, route),
    headers: perProvider(vendor, target.provider).headers[stream ? 1 : 0] as Record<string, string>,
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
