import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS_HELP, ORGS_HELP, runKeysCommand, runOrgsCommand, type CliIo } from '../../src/tenancy/index.js';
import { expiry } from '../../src/tenancy/cli.js';
import { MASTER, startTenancyApp, type TenancyApp } from '../support/tenancy-app.js';

/** `baimo orgs` / `baimo keys` against a listening server with the tenancy routes. */

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('baimo orgs / keys CLI', () => {
  let t: TenancyApp;
  let url: string;
  let dir: string;
  const NOW = Date.UTC(2026, 10, 25);

  const io = (files: Record<string, string> = {}): { io: CliIo; out: string[]; err: string[] } => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { fetch, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), readFile: (p) => files[p], now: () => NOW }, out, err };
  };
  const run = async (command: 'orgs' | 'keys', argv: string[], env: Record<string, string | undefined> = { BAIMO_URL: url, BAIMO_MASTER_KEY: MASTER }, files?: Record<string, string>): Promise<Run> => {
    const capture = io(files);
    const code = await (command === 'orgs' ? runOrgsCommand : runKeysCommand)(argv, env, capture.io);
    return { code, out: capture.out.join(''), err: capture.err.join('') };
  };

  beforeAll(async () => {
    t = await startTenancyApp();
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    dir = mkdtempSync(join(tmpdir(), 'baimo-cli-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates and lists orgs', async () => {
    const created = await run('orgs', ['create', 'acme']);
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toMatch(/^Created org org_\S+ \(acme\)\.\n$/);
    const listed = await run('orgs', ['list']);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')[0]).toMatch(/^ID\s+NAME\s+RPM/);
    expect(listed.out).toContain('acme');
    const json = await run('orgs', ['list', '--json']);
    expect(JSON.parse(json.out).data.map((o: { name: string }) => o.name)).toContain('acme');
  });

  it('creates a key with every option (org by name), lists, rotates and revokes it', async () => {
    await run('orgs', ['create', 'keyed']);
    const created = await run('keys', ['create', '--org', 'keyed', '--name', 'ci', '--models', 'qwen3-8b, deepseek-chat', '--rpm', '60', '--tpm', '1000', '--concurrency', '2', '--budget', '9.5', '--budget-period', 'monthly', '--expires', '30d', '--json']);
    expect(created.code, created.err).toBe(0);
    const key = JSON.parse(created.out);
    expect(key).toMatchObject({ name: 'ci', models: ['qwen3-8b', 'deepseek-chat'], rpm: 60, tpm: 1000, max_concurrency: 2, budget: 9.5, budget_period: 'monthly', expires_at: '2026-12-25T00:00:00.000Z' });
    expect((await t.tenancy.authenticateKey(key.key)).keyId).toBe(key.id);

    const listed = await run('keys', ['list', '--org', key.org_id]);
    expect(listed.out).toContain(key.id);
    expect(listed.out).toContain(key.prefix);
    expect(listed.out).not.toContain(key.key);

    const rotated = await run('keys', ['rotate', key.id]);
    expect(rotated.code).toBe(0);
    const newKey = /\n {4}(sk-bm-\S+)\n/.exec(rotated.out)![1]!;
    expect((await t.tenancy.authenticateKey(newKey)).keyId).toBe(key.id);

    const revoked = await run('keys', ['revoke', key.id]);
    expect(revoked).toMatchObject({ code: 0, out: `Revoked key ${key.id}.\n` });
    await expect(t.tenancy.authenticateKey(newKey)).rejects.toMatchObject({ status: 401 });
    expect((await run('keys', ['list', '--org', 'keyed'])).out).toMatch(/revoked/);
  });

  it('prints the plaintext key once, in the human output of create', async () => {
    await run('orgs', ['create', 'human']);
    const created = await run('keys', ['create', '--org', 'human']);
    expect(created.out).toMatch(/^Created key key_\S+ \(default\) in org_\S+\.\nKey \(shown only now, store it safely\):\n\n {4}sk-bm-[A-Za-z0-9_-]{43}\n\n$/);
  });

  it('reads the master key from <data dir>/master.key when none is given', async () => {
    const file = join(dir, 'master.key');
    const listed = await run('orgs', ['list', '--data', dir], { BAIMO_URL: url }, { [file]: `${MASTER}\n` });
    expect(listed.code, listed.err).toBe(0);
    const none = await run('orgs', ['list', '--data', join(dir, 'nowhere')], { BAIMO_URL: url }, {});
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no credential/);
  });

  it('--url and --key override the environment; server errors are printed with their code', async () => {
    const wrongKey = await run('orgs', ['list', '--url', url, '--key', 'sk-bm-wrong'], {});
    expect(wrongKey).toMatchObject({ code: 1 });
    expect(wrongKey.err).toMatch(/^baimo orgs: .*\(invalid_api_key\)\n$/);
    const dup = await run('orgs', ['create', 'acme-dup']);
    expect(dup.code).toBe(0);
    expect((await run('orgs', ['create', 'acme-dup'])).err).toMatch(/already exists\. \(org_exists\)\n$/);
    const down = await run('orgs', ['list'], { BAIMO_URL: 'http://127.0.0.1:1', BAIMO_MASTER_KEY: MASTER });
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot reach Baimo at http:\/\/127\.0\.0\.1:1/);
  });

  it('--help for each command; usage errors exit 2', async () => {
    expect(await run('orgs', ['--help'])).toEqual({ code: 0, out: ORGS_HELP, err: '' });
    expect(await run('keys', ['create', '--help'])).toEqual({ code: 0, out: KEYS_HELP, err: '' });
    expect((await run('keys', [])).code).toBe(2);
    expect((await run('keys', ['frobnicate'])).code).toBe(2);
    expect((await run('keys', ['create'])).err).toMatch(/--org is required/);
    expect((await run('keys', ['create', '--org', 'org_x', '--rpm', 'many'])).err).toMatch(/--rpm: 'many' is not a positive integer/);
    expect((await run('keys', ['create', '--org', 'org_x', '--budget-period', 'weekly'])).err).toMatch(/--budget-period: 'weekly' is not total or monthly/);
    expect((await run('keys', ['list', '--bogus'])).code).toBe(1);
    expect((await run('orgs', ['create'])).code).toBe(2);
  });

  it('expiry accepts durations and ISO times, refuses anything else', () => {
    expect(expiry('12h', NOW)).toBe('2026-11-25T12:00:00.000Z');
    expect(expiry('2w', NOW)).toBe('2026-12-09T00:00:00.000Z');
    expect(expiry('2027-01-31T00:00:00Z', NOW)).toBe('2027-01-31T00:00:00Z');
    expect(() => expiry('soon', NOW)).toThrow(/--expires/);
  });
});
