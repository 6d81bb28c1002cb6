import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, readConfigSource } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { DEFAULT_ROUTING, DEFAULT_SERVER, DEFAULT_TIMEOUTS } from '../../../src/config/defaults.js';
import type { PlatformConfig } from '../../../src/config/types.js';
import { fakeResolveKind } from './fake-resolve-kind.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
const parse = (text: string, env: Record<string, string> = {}) =>
  parseConfig({ file: 'baimo.yaml', text }, { env, resolveKind: fakeResolveKind, catalog: [] });

describe('loadConfig', () => {
  it('loads the full example to the expected PlatformConfig', () => {
    const expected = JSON.parse(readFileSync(fixture('full.expected.json'), 'utf8')) as PlatformConfig;
    const config = loadConfig({
      path: fixture('full.yaml'),
      env: { VLLM_KEY: 'vllm-secret', ASCEND_HOST: '10.0.0.7', BAILIAN_KEY: 'sk-bailian', ANTHROPIC_KEY: 'sk-ant' },
      resolveKind: fakeResolveKind,
      catalog: [],
    });
    expect(config).toStrictEqual({ ...expected, source: fixture('full.yaml') });
  });

  it('loads the DESIGN.md §2a minimal form with defaults filled in', () => {
    const config = loadConfig({ path: fixture('minimal.yaml'), env: { VLLM_KEY: 'k' }, resolveKind: fakeResolveKind, catalog: [] });
    expect(config.providers).toEqual([
      { name: 'local-vllm', kind: 'openai-compatible', base_url: 'http://127.0.0.1:8000/v1', api_key: 'k', headers: {}, timeouts: DEFAULT_TIMEOUTS },
    ]);
    expect(config.models[0]).toEqual({
      name: 'qwen3-8b',
      capabilities: ['chat', 'tools'],
      context_window: 32768,
      price: { input: 0.3, output: 1.2, cached_input: 0.06 },
      owned_by: 'baimo',
      deployments: [
        {
          id: 'qwen3-8b#0',
          provider: 'local-vllm',
          model: 'Qwen/Qwen3-8B',
          weight: 3,
          priority: 0,
          tags: { engine: 'vllm', accelerator: 'nvidia' },
          timeouts: DEFAULT_TIMEOUTS,
        },
      ],
    });
    expect(config.routing).toEqual({ ...DEFAULT_ROUTING, strategy: 'priority-weighted', retries: 2 });
    expect(config.currency).toBe('USD');
  });

  it('gives a valid empty config with no file and no keys, so the server still starts', () => {
    const config = loadConfig({ env: {}, resolveKind: fakeResolveKind, cwd: '/nonexistent-dir-for-test' });
    expect(config).toStrictEqual({
      source: 'defaults',
      currency: 'USD',
      server: DEFAULT_SERVER,
      routing: DEFAULT_ROUTING,
      providers: [],
      models: [],
    });
  });

  it('treats an empty file and empty sections as no configuration', () => {
    expect(parse('').models).toEqual([]);
    expect(parse('# nothing yet\nproviders:\nmodels:\nserver:\n').providers).toEqual([]);
  });

  it('defaults capabilities to chat, weight to 1 and priority to 0', () => {
    const config = parse('providers: [{name: p, kind: vllm, base_url: "http://h:1"}]\nmodels: [{name: m, deployments: [{provider: p, model: u}]}]\n');
    expect(config.models[0]?.capabilities).toEqual(['chat']);
    expect(config.models[0]?.deployments[0]).toMatchObject({ id: 'm#0', weight: 1, priority: 0, tags: {} });
  });

  it('takes base_url from the kind when omitted, and stores it without a trailing slash', () => {
    const config = parse('providers:\n  - {name: ali, kind: dashscope}\n  - {name: v, kind: vllm, base_url: "http://h:8000/v1//"}\n');
    expect(config.providers.map((p) => p.base_url)).toEqual(['https://dashscope.aliyuncs.com/compatible-mode/v1', 'http://h:8000/v1']);
  });

  it("falls back to the kind's key variable when a provider has no api_key", () => {
    const config = parse('providers: [{name: ds, kind: deepseek}, {name: v, kind: vllm, base_url: "http://h:1"}]\n', { DEEPSEEK_API_KEY: 'sk-ds' });
    expect(config.providers[0]?.api_key).toBe('sk-ds');
    expect(config.providers[1]).not.toHaveProperty('api_key');
  });

  it('applies timeouts: deployment over provider over defaults', () => {
    const config = parse(
      [
        'providers:',
        '  - {name: p, kind: vllm, base_url: "http://h:1", timeouts: {connect_ms: 1000, total_ms: 9000}}',
        'models:',
        '  - name: m',
        '    deployments:',
        '      - {provider: p, model: u, timeouts: {total_ms: 7000, idle_ms: 500}}',
        '      - {provider: p, model: u}',
      ].join('\n'),
    );
    const [first, second] = config.models[0]?.deployments ?? [];
    expect(first?.timeouts).toEqual({ connect_ms: 1000, first_byte_ms: 120_000, idle_ms: 500, total_ms: 7000 });
    expect(second?.timeouts).toEqual({ connect_ms: 1000, first_byte_ms: 120_000, idle_ms: 60_000, total_ms: 9000 });
    expect(config.providers[0]?.timeouts).toEqual({ connect_ms: 1000, first_byte_ms: 120_000, idle_ms: 60_000, total_ms: 9000 });
  });

  it('ignores x- extension keys at any level but keeps x- headers', () => {
    const config = parse(
      'x-owner: platform-team\nproviders:\n  - name: p\n    kind: vllm\n    base_url: "http://h:1"\n    x-comment: on-prem\n    headers: {x-api-region: cn}\n',
    );
    expect(config.providers[0]?.headers).toEqual({ 'x-api-region': 'cn' });
    expect(config.providers[0]).not.toHaveProperty('x-comment');
  });

  it('takes YAML numbers and booleans in tags and headers as text', () => {
    const config = parse('providers: [{name: p, kind: vllm, base_url: "http://h:1", headers: {X-N: 1}}]\nmodels: [{name: m, deployments: [{provider: p, model: u, tags: {npus: 8, spot: true}}]}]\n');
    expect(config.providers[0]?.headers).toEqual({ 'X-N': '1' });
    expect(config.models[0]?.deployments[0]?.tags).toEqual({ npus: '8', spot: 'true' });
  });

  it('warns about a literal api_key, and not about ${ENV} references', () => {
    const warnings: string[] = [];
    parseConfig(
      { file: 'baimo.yaml', text: 'providers:\n  - {name: a, kind: vllm, base_url: "http://h:1", api_key: sk-live-123}\n  - {name: b, kind: vllm, base_url: "http://h:1", api_key: "${B_KEY}"}\n' },
      { env: { B_KEY: 'x' }, resolveKind: fakeResolveKind, catalog: [], warn: (message) => warnings.push(message) },
    );
    expect(warnings).toEqual([
      'baimo.yaml: providers[0].api_key: is a literal secret; use an ${ENV} reference such as ${MY_VENDOR_KEY} (never commit literal secrets)',
    ]);
    expect(warnings[0]).not.toContain('sk-live-123');
  });
});

describe('readConfigSource', () => {
  const files: Record<string, string> = { '/srv/baimo.yaml': 'models: []\n', '/srv/other.yaml': 'providers: []\n' };
  const readFile = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };

  it('uses ./baimo.yaml when present and nothing is named', () => {
    expect(readConfigSource({ env: {}, cwd: '/srv', readFile })).toEqual({ file: 'baimo.yaml', text: 'models: []\n', dir: '/srv' });
  });

  it('returns undefined when nothing is named and baimo.yaml is absent', () => {
    expect(readConfigSource({ env: {}, cwd: '/elsewhere', readFile })).toBeUndefined();
  });

  it('prefers the path, then BAIMO_CONFIG', () => {
    expect(readConfigSource({ path: 'other.yaml', env: { BAIMO_CONFIG: 'x.yaml' }, cwd: '/srv', readFile })?.file).toBe('other.yaml');
    expect(readConfigSource({ env: { BAIMO_CONFIG: 'other.yaml' }, cwd: '/srv', readFile })?.text).toBe('providers: []\n');
  });

  it('fails when a named file does not exist', () => {
    expect(() => readConfigSource({ path: 'missing.yaml', env: {}, cwd: '/srv', readFile })).toThrow(
      new ConfigError('missing.yaml', [{ path: '', message: 'config file not found' }]),
    );
    expect(() => readConfigSource({ env: { BAIMO_CONFIG: 'gone.yaml' }, cwd: '/srv', readFile })).toThrow('gone.yaml: config file not found');
  });

  it('keeps price tiers and cache_write as written', () => {
    const config = parse(
      'providers: [{ name: v, kind: vllm, base_url: "http://127.0.0.1:8000/v1" }]\n' +
        'models:\n  - name: m\n    price: { input: 1, output: 2, cache_write: 1.25, tiers: [{ above_input_tokens: 32000, input: 2, output: 4, cached_input: 0.2 }] }\n    deployments: [{ provider: v, model: x }]\n',
    );
    expect(config.models[0]!.price).toEqual({ input: 1, output: 2, cache_write: 1.25, tiers: [{ above_input_tokens: 32000, input: 2, output: 4, cached_input: 0.2 }] });
  });
});
