/**
 * The console's one door to the server. Operators authenticate with the master key as a bearer
 * token (kept in sessionStorage by the session, never in localStorage); console users ride on the
 * HttpOnly `baimo_session` cookie, which the browser adds by itself.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The route is not there (yet): the server answered its JSON 404 for an unknown path. */
  get isMissingRoute(): boolean {
    return this.status === 404 && /^Unknown route/.test(this.message);
  }
}

export type Query = Record<string, string | number | undefined | null | readonly string[]>;

export interface ApiClient {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  /** The raw response (streams, CSV); throws ApiError on a non-2xx answer. */
  fetch(path: string, init?: RequestInit & { query?: Query }): Promise<Response>;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(name, value.join(','));
    } else params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function errorFrom(response: Response): Promise<ApiError> {
  let message = response.statusText || `HTTP ${response.status}`;
  let code: string | null = null;
  let param: string | null = null;
  try {
    const body = (await response.json()) as { error?: { message?: string; code?: string | null; param?: string | null } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code ?? null;
    param = body.error?.param ?? null;
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(response.status, message, code, param);
}

export function createApiClient(auth: { masterKey?: string }): ApiClient {
  const authHeaders: Record<string, string> = auth.masterKey ? { authorization: `Bearer ${auth.masterKey}` } : {};

  async function send(path: string, init: RequestInit & { query?: Query } = {}): Promise<Response> {
    const { query, headers, ...rest } = init;
    const response = await fetch(withQuery(path, query), {
      credentials: 'same-origin',
      ...rest,
      headers: { accept: 'application/json', ...authHeaders, ...(headers as Record<string, string> | undefined) },
    });
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async function json<T>(method: string, path: string, body?: unknown, query?: Query, headers?: Record<string, string>): Promise<T> {
    const response = await send(path, {
      method,
      query,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    get: (path, query) => json('GET', path, undefined, query),
    post: (path, body, headers) => json('POST', path, body, undefined, headers),
    patch: (path, body) => json('PATCH', path, body),
    del: (path) => json('DELETE', path),
    fetch: send,
  };
}
