import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../../src/server/start.js';

export const MASTER_KEY = 'sk-bm-test-master-key';

export interface TestGateway {
  server: RunningServer;
  url: string;
  client: OpenAI;
  dir: string;
  configPath: string;
  /** Raw fetch against the gateway with the master key. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** An admin API call with the master key; `body` is the parsed JSON answer (undefined when empty). */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Start a real Baimo server on an ephemeral port with the given baimo.yaml text. */
export async function startTestGateway(yaml: string, env: Record<string, string> = {}, opts: { print?: (line: string) => void } = {}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'baimo-it-'));
  const configPath = join(dir, 'baimo.yaml');
  writeFileSync(configPath, yaml);
  const server = await startServer({
    configPath,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    env: { BAIMO_MASTER_KEY: MASTER_KEY, ...env },
    logger: false,
    print: opts.print,
  });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: MASTER_KEY, maxRetries: 0, timeout: 20_000 });
  return {
    server,
    url: server.url,
    client,
    dir,
    configPath,
    post: (path, body, headers = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async admin(method, path, body) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async close() {
      await server.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Timeouts short enough for fault tests, long enough for a loaded 2-core CI box. */
export const FAST_TIMEOUTS = `{ connect_ms: 1000, first_byte_ms: 800, idle_ms: 800, total_ms: 10000 }`;

/** Response bodies in tests are asserted on, not typed: read them as `any`. */
export const json = (res: Response): Promise<any> => res.json();
