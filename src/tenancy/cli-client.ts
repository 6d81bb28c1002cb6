/** What the CLI touches outside itself, injected so tests run it against an in-process server. */
export interface CliIo {
  fetch: typeof fetch;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => string | undefined;
  now: () => number;
}

/** Calls the admin API; an error answer becomes an Error carrying the server's message and code. */
export class AdminClient {
  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly io: CliIo,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.io.fetch(`${this.url}${path}`, {
        method,
        // A FormData body is sent as multipart/form-data, its boundary set by fetch; anything else as JSON.
        headers: { authorization: `Bearer ${this.key}`, ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`cannot reach Baimo at ${this.url} (${(err as Error).message}); is \`baimo serve\` running?`, { cause: err });
    }
    const text = await res.text();
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : undefined;
    } catch {
      payload = undefined;
    }
    if (!res.ok) {
      const error = (payload as { error?: { message?: string; code?: string } } | undefined)?.error;
      throw new Error(error?.message ? `${error.message}${error.code ? ` (${error.code})` : ''}` : `HTTP ${res.status} from ${method} ${path}`);
    }
    return payload as T;
  }
}
