import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The compiled CLI, as `npm start` runs it (npm test builds first). */
export const CLI = resolve('dist/src/cli/main.js');

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
  /** Base URL once the listen line appeared. */
  url: () => Promise<string>;
}

/** Run `baimo <args>` as a child process with the given environment (BAIMO_LOG=off by default). */
export function runCli(args: string[], env: Record<string, string | undefined>): ServerProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, BAIMO_LOG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    exit,
    async url() {
      await waitFor(() => /listening on (http:\/\/\S+)/.test(out) || child.exitCode !== null, 'listen line', 30_000);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) throw new Error(`server exited before listening:\n${out}`);
      return m[1]!;
    },
  };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Admin API call with the master key. */
export async function adminCall(url: string, masterKey: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}
