import { describe, expect, it } from 'vitest';
import { createConfigReloader, diffConfigs } from '../../../src/config/reload.js';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { fakeResolveKind } from './fake-resolve-kind.js';

const PROVIDER = 'providers: [{name: p, kind: vllm, base_url: "http://h:1", api_key: "${KEY:-k}"}]\n';
const config = (text: string) => parseConfig({ file: 'baimo.yaml', text }, { env: {}, resolveKind: fakeResolveKind, catalog: [] });

describe('createConfigReloader', () => {
  it('swaps in a valid new config and describes the change', () => {
    const files: Record<string, string> = { '/etc/baimo.yaml': `${PROVIDER}models: [{name: a, deployments: [{provider: p, model: x}]}]\n` };
    const reloader = createConfigReloader({ path: '/etc/baimo.yaml', env: {}, resolveKind: fakeResolveKind, catalog: [], readFile: (path) => files[path] ?? '' });
    expect(reloader.current().models.map((model) => model.name)).toEqual(['a']);

    files['/etc/baimo.yaml'] = `${PROVIDER}models: [{name: b, deployments: [{provider: p, model: x}]}]\n`;
    const result = reloader.reload();
    expect(result.ok).toBe(true);
    expect(reloader.current().models.map((model) => model.name)).toEqual(['b']);
    if (result.ok) expect(result.changes.summary).toEqual(['model added: b', 'model removed: a']);
  });

  it('keeps the running config when the new file is invalid', () => {
    const files: Record<string, string> = { '/etc/baimo.yaml': PROVIDER };
    const reloader = createConfigReloader({ path: '/etc/baimo.yaml', env: {}, resolveKind: fakeResolveKind, catalog: [], readFile: (path) => files[path] ?? '' });
    const before = reloader.current();

    files['/etc/baimo.yaml'] = 'providers: [{name: p, kind: vllm}]\n';
    const result = reloader.reload();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(ConfigError);
      expect(result.error.path).toBe('providers[0].base_url');
      expect(result.config).toBe(before);
    }
    expect(reloader.current()).toBe(before);
  });

  it('can reload with a new environment', () => {
    const reloader = createConfigReloader({ path: 'b.yaml', env: {}, resolveKind: fakeResolveKind, catalog: [], readFile: () => PROVIDER });
    const result = reloader.reload({ env: { KEY: 'rotated' } });
    expect(reloader.current().providers[0]?.api_key).toBe('rotated');
    // A rotated key is a change, but the summary never prints it.
    expect(result.ok && result.changes.summary).toEqual(['provider changed: p']);
  });

  it('lets a ConfigError at start-up through: the start must stop', () => {
    expect(() => createConfigReloader({ path: 'b.yaml', env: {}, resolveKind: fakeResolveKind, readFile: () => 'server: {port: x}\n' })).toThrow(ConfigError);
  });
});

describe('diffConfigs', () => {
  it('flags server changes that need a restart', () => {
    const before = config('server: {port: 4000, drain_timeout_ms: 1000}\n');
    expect(diffConfigs(before, config('server: {port: 4000, drain_timeout_ms: 2000}\n'))).toMatchObject({ server: true, restartRequired: false });
    const moved = diffConfigs(before, config('server: {port: 4001, drain_timeout_ms: 1000}\n'));
    expect(moved).toMatchObject({ server: true, restartRequired: true });
    expect(moved.summary).toEqual(['server changed (restart required for host, port or body limit)']);
  });

  it('reports nothing for an identical config', () => {
    const same = diffConfigs(config(PROVIDER), config(PROVIDER));
    expect(same.summary).toEqual([]);
    expect(same.providers).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reports routing and currency changes', () => {
    expect(diffConfigs(config('routing: {retries: 1}\n'), config('routing: {retries: 2}\ncurrency: CNY\n')).summary).toEqual([
      'routing changed',
      'currency changed: USD → CNY',
    ]);
  });
});
