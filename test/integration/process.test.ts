import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../support/gateway.js';
import { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';

/**
 * The compiled `baimo serve` as a real process: start on a config, reload on SIGHUP without
 * dropping an in-flight stream, drain on SIGTERM and exit 0, refuse a bad config with a message
 * naming the file and path. Runs the build output (npm test builds first), as `npm start` does.
 */
const CLI = resolve('dist/src/cli/main.js');
const KEY = 'sk-bm-process-test';

interface Proc {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, BAIMO_MASTER_KEY: KEY, BAIMO_LOG: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exit };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('baimo serve as a process', () => {
  let upstream: MockUpstream;
  let dir: string;

  beforeAll(async () => {
    expect(existsSync(CLI), 'build output missing: run `npm run build`').toBe(true);
    upstream = await startMockUpstream();
    dir = mkdtempSync(join(tmpdir(), 'baimo-proc-'));
  });
  afterAll(async () => {
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = (models: string[]) => `
providers:
  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }
models:
${models.map((m) => `  - { name: ${m}, capabilities: [chat], deployments: [{ provider: up, model: ${m}-upstream }] }`).join('\n')}
`;

  it('reloads on SIGHUP without dropping an in-flight stream, then drains on SIGTERM and exits 0', async () => {
    const config = join(dir, 'baimo.yaml');
    writeFileSync(config, yaml(['alpha']));
    const proc = run(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data')], {});
    await waitFor(() => /listening on (http:\/\/\S+)/.test(proc.output()), 'listen line');
    const url = /listening on (http:\/\/\S+)/.exec(proc.output())![1]!;
    const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

    const frame = (i: number) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'x', choices: [{ index: 0, delta: { content: `${i} ` }, finish_reason: null }] })}\n\n`;
    upstream.enqueue('/chat/completions', {
      kind: 'sse',
      frames: [...Array.from({ length: 15 }, (_, i) => frame(i)), `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`, 'data: [DONE]\n\n'],
      delayMs: 60,
    });
    const inflight = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: auth, body: JSON.stringify({ model: 'alpha', messages: [{ role: 'user', content: 'x' }], stream: true }) }).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 150));

    writeFileSync(config, yaml(['alpha', 'beta']));
    proc.child.kill('SIGHUP');
    await waitFor(() => proc.output().includes('Configuration reloaded'), 'reload');
    const models = await json(await fetch(`${url}/v1/models`, { headers: auth }));
    expect(models.data.map((m: { id: string }) => m.id).sort()).toEqual(['alpha', 'beta']);

    proc.child.kill('SIGTERM');
    const body = await inflight;
    expect(body).toContain('14 ');
    expect(body.trim().endsWith('data: [DONE]')).toBe(true);
    expect(await proc.exit, proc.output()).toBe(0);
  });

  it('refuses to start on a bad config with a message naming the file and the path', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, `providers:\n  - { name: up, kind: openai-compatible, base_url: "${upstream.url}/v1" }\nmodels:\n  - { name: m, capabilities: [chat], deployments: [{ provider: nope, model: x }] }\n`);
    const proc = run(['serve', '--config', config, '--port', '0', '--data', join(dir, 'data2')], {});
    expect(await proc.exit).toBe(1);
    expect(proc.output()).toContain('bad.yaml');
    expect(proc.output()).toContain('models[0].deployments[0].provider');
  });

  it('generates and stores a master key on first start when none is set', async () => {
    const data = join(dir, 'data3');
    const proc = run(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data], { BAIMO_MASTER_KEY: '' });
    await waitFor(() => /listening on/.test(proc.output()), 'listen line');
    expect(proc.output()).toMatch(/sk-bm-master-[A-Za-z0-9_-]{20,}/);
    expect(existsSync(join(data, 'master.key'))).toBe(true);
    proc.child.kill('SIGTERM');
    expect(await proc.exit, proc.output()).toBe(0);
  });

  it('prints help for serve', async () => {
    const proc = run(['serve', '--help'], {});
    expect(await proc.exit, proc.output()).toBe(0);
    expect(proc.output()).toContain('--config');
    expect(proc.output()).toContain('SIGHUP');
  });
});
