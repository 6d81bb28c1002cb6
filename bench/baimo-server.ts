import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/start.js';
import { announce, announcePort, exitWithParent, portArg } from './child-lifecycle.js';
import { BENCH_LIMITS, parseAuth } from './modes.js';

/**
 * Baimo as the bench runs it: the real composition root (`startServer`), one priced model with
 * one OpenAI-compatible deployment on the mock upstream, logging off, a throwaway data dir. The
 * config env is built here rather than inherited, so an operator's BAIMO_* or vendor keys in the
 * shell cannot change what is measured; the orchestrator passes the storage URLs under BENCH_*
 * names for the same reason.
 *
 * With BENCH_AUTH=tenant (the default) it then creates an org and a tenant key through the admin
 * API, with limits on both that are far above what the bench can reach but are still checked on
 * every request, and announces the key so the load generator calls as that tenant.
 */

const PUBLIC_MODEL = 'bench-model';

function configYaml(upstreamPort: number): string {
  // A price makes metering and the budget check do real arithmetic (an unpriced model costs 0).
  return `providers:
  - name: mock
    kind: openai-compatible
    base_url: http://127.0.0.1:${upstreamPort}/v1
    api_key: \${BENCH_UPSTREAM_KEY}
models:
  - name: ${PUBLIC_MODEL}
    capabilities: [chat]
    price: { input: 0.5, output: 1.5 }
    deployments:
      - provider: mock
        model: mock-model
`;
}

/** A free port on 127.0.0.1, chosen by the OS; the config contract needs a concrete port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function admin<T>(baseUrl: string, masterKey: string, method: string, path: string, body: object): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** An org and a key under it, both limited by BENCH_LIMITS; returns the key's plaintext. */
async function createTenantKey(baseUrl: string, masterKey: string): Promise<string> {
  const org = await admin<{ id: string }>(baseUrl, masterKey, 'POST', '/admin/v1/orgs', { name: 'bench-org' });
  await admin(baseUrl, masterKey, 'PATCH', `/admin/v1/orgs/${org.id}`, BENCH_LIMITS);
  const key = await admin<{ key: string }>(baseUrl, masterKey, 'POST', `/admin/v1/orgs/${org.id}/keys`, { name: 'bench-key', ...BENCH_LIMITS });
  return key.key;
}

async function main(): Promise<void> {
  const masterKey = process.env.BAIMO_MASTER_KEY;
  if (!masterKey) throw new Error('BAIMO_MASTER_KEY must be set by the bench');
  const auth = parseAuth(process.env.BENCH_AUTH);
  const dir = mkdtempSync(join(tmpdir(), 'baimo-bench-'));
  const configPath = join(dir, 'baimo.yaml');
  writeFileSync(configPath, configYaml(portArg('upstream')));
  const env: Record<string, string> = { BAIMO_MASTER_KEY: masterKey, BENCH_UPSTREAM_KEY: 'sk-bench-upstream' };
  // Scale-out mode: PostgreSQL for tenancy and metering, Redis for limits and key invalidation.
  if (process.env.BENCH_BAIMO_DATABASE_URL) env.BAIMO_DATABASE_URL = process.env.BENCH_BAIMO_DATABASE_URL;
  if (process.env.BENCH_BAIMO_REDIS_URL) env.BAIMO_REDIS_URL = process.env.BENCH_BAIMO_REDIS_URL;
  const server = await startServer({
    configPath,
    port: await freePort(),
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    env,
    logger: false,
    print: (line) => process.stderr.write(`[baimo] ${line}\n`),
  }).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const close = async () => {
    await server.shutdown();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (auth === 'tenant') announce('tenant-key', await createTenantKey(server.url, masterKey));
    announce('store', server.platform.store.dialect + (server.platform.redis ? '+redis' : ''));
  } catch (err) {
    await close();
    throw err;
  }
  announcePort(server.port);
  exitWithParent(close);
}

main().catch((err: unknown) => {
  process.stderr.write(`baimo-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
