import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { buildUsageEvent, meteringMigrations, type MeteredAttempt, type UsageEvent } from '../../../src/metering/index.js';
import { migrate, type Store } from '../../../src/store/index.js';
import type { StoreBackend } from '../../support/backends.js';

/** 2026-11-25T10:00:00Z */
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

export function attempt(over: Partial<MeteredAttempt> = {}): MeteredAttempt {
  return {
    requestId: 'req_1',
    attempt: 1,
    endpoint: 'chat',
    model: 'qwen3-8b',
    deploymentId: 'qwen3-8b#0',
    provider: 'local-vllm',
    stream: false,
    startedAt: T0,
    latencyMs: 120,
    ttftMs: 40,
    status: 200,
    usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
    tenant: { orgId: 'org_a', keyId: 'key_a1' },
    ...over,
  };
}

/** A priced event ($0.3 in / $1.2 out per 1M): 1000 in + 500 out = 0.0009. */
export function event(over: Partial<MeteredAttempt> = {}, currency = 'USD'): UsageEvent {
  return buildUsageEvent(attempt(over), { price: { input: 0.3, output: 1.2 }, currency });
}

export async function openMigrated(backend: StoreBackend): Promise<Store> {
  const store = await backend.open();
  await migrate(store.db, store.dialect, [meteringMigrations]);
  return store;
}

const made: string[] = [];
// Registered when a test file imports this module, so it runs after that file's tests.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed after the importing test file has run. */
export function tempDir(prefix = 'baimo-metering-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
