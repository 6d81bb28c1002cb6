import { describe, expect, it } from 'vitest';
import { expandEnvReferences, expandEnvString, hasEnvReference, type PathIssue } from '../../../src/config/expand-env.js';
import { parseConfig } from '../../../src/config/load.js';
import { fakeResolveKind } from './fake-resolve-kind.js';

describe('expandEnvString', () => {
  const env = { HOST: 'gpu-01', EMPTY: '', KEY: 'sk-1' };

  it('replaces ${NAME} anywhere in the string', () => {
    expect(expandEnvString('http://${HOST}:8000/v1', env)).toEqual({ value: 'http://gpu-01:8000/v1', problems: [] });
    expect(expandEnvString('${HOST}-${KEY}', env).value).toBe('gpu-01-sk-1');
  });

  it('uses the ${NAME:-default} default when the variable is unset or empty', () => {
    expect(expandEnvString('${MISSING:-4100}', env).value).toBe('4100');
    expect(expandEnvString('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(expandEnvString('${HOST:-fallback}', env).value).toBe('gpu-01');
    expect(expandEnvString('${MISSING:-}', env).value).toBe('');
    expect(expandEnvString('${MISSING:-http://a:1/v1}', env).value).toBe('http://a:1/v1');
  });

  it('keeps an empty value for a set-but-empty ${NAME}', () => {
    expect(expandEnvString('[${EMPTY}]', env)).toEqual({ value: '[]', problems: [] });
  });

  it('reports each unset variable by name', () => {
    expect(expandEnvString('${A}/${B}', {}).problems).toEqual([
      'environment variable A is not set (referenced as ${A})',
      'environment variable B is not set (referenced as ${B})',
    ]);
  });

  it('reports malformed and unterminated references', () => {
    expect(expandEnvString('${1BAD}', env).problems).toEqual(["malformed reference '${1BAD}' (expected ${NAME} or ${NAME:-default})"]);
    expect(expandEnvString('${A-b}', env).problems).toHaveLength(1);
    expect(expandEnvString('abc ${HOST', env).problems).toEqual(["unterminated reference '${HOST' (missing '}')"]);
  });

  it('leaves a lone $ alone and turns $${ into a literal ${', () => {
    expect(expandEnvString('pa$$word$', env).value).toBe('pa$$word$');
    expect(expandEnvString('$${HOST}', env)).toEqual({ value: '${HOST}', problems: [] });
  });
});

describe('hasEnvReference', () => {
  it('sees references, including broken ones, but not escapes or plain dollars', () => {
    expect(hasEnvReference('${KEY}')).toBe(true);
    expect(hasEnvReference('Bearer ${KEY:-x}')).toBe(true);
    expect(hasEnvReference('${oops')).toBe(true);
    expect(hasEnvReference('sk-abc$123')).toBe(false);
    expect(hasEnvReference('$${KEY}')).toBe(false);
  });
});

describe('expandEnvReferences', () => {
  it('expands strings at any depth, never keys, and reports the path', () => {
    const issues: PathIssue[] = [];
    const tree = { a: ['${X}', { '${X}': '${Y}' }], n: 5, t: true, z: null };
    expect(expandEnvReferences(tree, { X: 'x' }, issues)).toEqual({ a: ['x', { '${X}': '' }], n: 5, t: true, z: null });
    expect(issues).toEqual([{ at: ['a', 1, '${X}'], message: 'environment variable Y is not set (referenced as ${Y})' }]);
  });

  it('does not change the input', () => {
    const tree = { a: '${X}' };
    expandEnvReferences(tree, { X: 'x' }, []);
    expect(tree).toEqual({ a: '${X}' });
  });
});

describe('${ENV} in baimo.yaml', () => {
  const load = (text: string, env: Record<string, string>) => parseConfig({ file: 'baimo.yaml', text }, { env, resolveKind: fakeResolveKind, catalog: [] });

  it('works in numeric fields, which accept numeric strings after expansion', () => {
    const config = load('server:\n  port: ${PORT}\n  drain_timeout_ms: ${DRAIN:-5000}\nrouting:\n  retries: "${RETRIES}"\n', { PORT: '4321', RETRIES: '1' });
    expect(config.server.port).toBe(4321);
    expect(config.server.drain_timeout_ms).toBe(5000);
    expect(config.routing.retries).toBe(1);
  });

  it('works in URLs, headers and tags', () => {
    const config = load(
      'providers:\n  - name: p\n    kind: vllm\n    base_url: http://${HOST:-localhost}:8000/v1\n    headers: {X-Workspace: "${WS}"}\nmodels:\n  - {name: m, deployments: [{provider: p, model: "${UPSTREAM}", tags: {region: "${REGION:-cn}"}}]}\n',
      { WS: 'ws-9', UPSTREAM: 'Qwen/Qwen3-8B' },
    );
    expect(config.providers[0]?.base_url).toBe('http://localhost:8000/v1');
    expect(config.providers[0]?.headers).toEqual({ 'X-Workspace': 'ws-9' });
    expect(config.models[0]?.deployments[0]).toMatchObject({ model: 'Qwen/Qwen3-8B', tags: { region: 'cn' } });
  });

  it('treats an api_key that expands to empty as no key', () => {
    const config = load('providers: [{name: p, kind: vllm, base_url: "http://h:1", api_key: "${KEY:-}"}]\n', {});
    expect(config.providers[0]).not.toHaveProperty('api_key');
  });

  it('reports every unset variable with its path and line', () => {
    expect(() => load('providers:\n  - name: p\n    kind: vllm\n    base_url: http://${HOST}/v1\n    api_key: ${KEY}\n', {})).toThrow(
      [
        'baimo.yaml: providers[0].base_url: environment variable HOST is not set (referenced as ${HOST})',
        '  baimo.yaml: providers[0].api_key: environment variable KEY is not set (referenced as ${KEY})',
      ].join('\n'),
    );
  });
});
