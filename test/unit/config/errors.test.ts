import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { BUILTIN_CATALOG } from '../../../src/providers/catalog/index.js';
import { fakeResolveKind } from './fake-resolve-kind.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));

/** Loads `text` as baimo.yaml and returns the ConfigError it must throw. */
function errorOf(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig({ file: 'baimo.yaml', text }, { env, resolveKind: fakeResolveKind, catalog: BUILTIN_CATALOG });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const VLLM = 'providers:\n  - name: local-vllm\n    kind: vllm\n    base_url: http://127.0.0.1:8000/v1\n';

describe('config errors name the file and the path', () => {
  it('unknown provider in a deployment lists the known ones (catalog-published included)', () => {
    const error = errorOf(`${VLLM}models:\n  - name: m\n    deployments:\n      - provider: vlm\n        model: x\n`, { DEEPSEEK_API_KEY: 'sk' });
    expect(error.message).toBe("baimo.yaml: models[0].deployments[0].provider: unknown provider 'vlm' (known: local-vllm, deepseek)");
    expect(String(error)).toBe(error.message);
    expect(error).toMatchObject({ file: 'baimo.yaml', path: 'models[0].deployments[0].provider', line: 8 });
  });

  it('unknown provider suggests a close name, or the env key that would publish a catalog vendor', () => {
    expect(errorOf(`${VLLM}models: [{name: m, deployments: [{provider: local-vlm, model: x}]}]\n`).detail).toBe(
      "unknown provider 'local-vlm' (known: local-vllm) (did you mean 'local-vllm'?)",
    );
    expect(errorOf(`${VLLM}models: [{name: m, deployments: [{provider: deepseek, model: x}]}]\n`).detail).toBe(
      "unknown provider 'deepseek' (known: local-vllm); set DEEPSEEK_API_KEY to publish the built-in 'deepseek' provider",
    );
    expect(errorOf('models: [{name: m, deployments: [{provider: p, model: x}]}]\n').detail).toBe("unknown provider 'p' (no providers are defined)");
  });

  it('a kind nobody implements', () => {
    const error = errorOf('providers:\n  - {name: ds, kind: deepsek}\n');
    expect(error.message).toBe("baimo.yaml: providers[0].kind: unknown provider kind 'deepsek' (did you mean 'deepseek'?)");
  });

  it('an unset environment variable names the variable', () => {
    const error = errorOf('providers:\n  - name: p\n    kind: vllm\n    base_url: http://h:1\n    api_key: ${VLLM_KEY}\n');
    expect(error.message).toBe('baimo.yaml: providers[0].api_key: environment variable VLLM_KEY is not set (referenced as ${VLLM_KEY})');
    expect(error.line).toBe(5);
  });

  it('a value of the wrong type', () => {
    expect(errorOf('server:\n  port: abc\n').message).toBe("baimo.yaml: server.port: expected a number, got 'abc'");
    expect(errorOf('server:\n  port: 80.5\n').message).toBe('baimo.yaml: server.port: expected an integer, got 80.5');
    expect(errorOf('providers: {name: p}\n').message).toBe('baimo.yaml: providers: expected a list, got a mapping');
    expect(errorOf(`${VLLM}models: [{name: m, deployments: [{provider: local-vllm, model: x, weight: -1}]}]\n`).message).toBe(
      'baimo.yaml: models[0].deployments[0].weight: must be ≥ 0, got -1',
    );
  });

  it('a base_url that is not an http(s) URL', () => {
    expect(errorOf('providers: [{name: p, kind: vllm, base_url: "ftp://h/v1"}]\n').message).toBe(
      "baimo.yaml: providers[0].base_url: must be an http:// or https:// URL, got 'ftp://h/v1'",
    );
    expect(errorOf('providers: [{name: p, kind: vllm, base_url: "127.0.0.1:8000"}]\n').path).toBe('providers[0].base_url');
  });

  it('a base_url missing where the kind has no default', () => {
    expect(errorOf('providers: [{name: p, kind: vllm}]\n').message).toBe(
      "baimo.yaml: providers[0].base_url: missing required field (kind 'vllm' has no default base URL)",
    );
  });

  it('duplicate provider names, model names and deployment ids', () => {
    expect(errorOf(`${VLLM}  - {name: local-vllm, kind: vllm, base_url: "http://h:2"}\n`).message).toBe(
      "baimo.yaml: providers[1].name: duplicate provider name 'local-vllm' (first defined at providers[0])",
    );
    expect(errorOf(`${VLLM}models:\n  - {name: m, deployments: [{provider: local-vllm, model: a}]}\n  - {name: m, deployments: [{provider: local-vllm, model: b}]}\n`).message).toBe(
      "baimo.yaml: models[1].name: duplicate model name 'm' (first defined at models[0])",
    );
    expect(errorOf(`${VLLM}models:\n  - {name: a, deployments: [{id: d1, provider: local-vllm, model: a}]}\n  - {name: b, deployments: [{id: d1, provider: local-vllm, model: b}]}\n`).message).toBe(
      "baimo.yaml: models[1].deployments[0].id: duplicate deployment id 'd1' (also used at models[0].deployments[0].id)",
    );
  });

  it('a YAML syntax error gives the file and line', () => {
    const path = fixture('syntax-error.yaml');
    let caught: unknown;
    try {
      loadConfig({ path, env: {}, resolveKind: fakeResolveKind });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.line).toBe(5);
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:1: YAML syntax error: `));
  });

  it('duplicate keys are a YAML error too', () => {
    expect(errorOf('server:\n  port: 1\n  port: 2\n').message).toBe('baimo.yaml:3:3: YAML syntax error: Map keys must be unique');
  });

  it('an unknown field suggests the intended one', () => {
    expect(errorOf('providers: [{name: p, kind: vllm, base_ur: "http://h:1"}]\n').issues.map((i) => `${i.path}: ${i.message}`)).toContain(
      "providers[0].base_ur: unknown field 'base_ur' (did you mean 'base_url'?)",
    );
    expect(errorOf('routing: {retires: 3}\n').message).toBe("baimo.yaml: routing.retires: unknown field 'retires' (did you mean 'retries'?)");
    expect(errorOf('providers: [{name: p, kind: vllm, baseUrl: "http://h:1"}]\n').detail).toBe("unknown field 'baseUrl' (did you mean 'base_url'?)");
    expect(errorOf('__proto__: {port: 1}\n').message).toBe("baimo.yaml: __proto__: unknown field '__proto__'");
  });

  it('missing required fields and empty lists', () => {
    expect(errorOf('providers: [{name: p}]\n').message).toBe('baimo.yaml: providers[0].kind: missing required field');
    expect(errorOf(`${VLLM}models: [{name: m, deployments: []}]\n`).message).toBe('baimo.yaml: models[0].deployments: must have at least 1 item(s)');
    expect(errorOf(`${VLLM}models: [{name: m}]\n`).message).toBe('baimo.yaml: models[0].deployments: missing required field');
  });

  it('capabilities and strategies outside their sets', () => {
    expect(errorOf(`${VLLM}models: [{name: m, capabilities: [chat, tool], deployments: [{provider: local-vllm, model: x}]}]\n`).message).toBe(
      "baimo.yaml: models[0].capabilities[1]: must be one of chat, completions, embeddings, rerank, tools, vision, json, reasoning; got 'tool' (did you mean 'tools'?)",
    );
    expect(errorOf('routing: {strategy: round-robin}\n').path).toBe('routing.strategy');
    expect(errorOf('currency: EUR\n').detail).toBe("must be one of USD, CNY; got 'EUR'");
  });

  it("model names starting with 'app:' are reserved", () => {
    expect(errorOf(`${VLLM}models: [{name: "app:chat", deployments: [{provider: local-vllm, model: x}]}]\n`).message).toBe(
      "baimo.yaml: models[0].name: names starting with 'app:' are reserved for apps",
    );
  });

  it('the top level must be a mapping', () => {
    expect(errorOf('- a\n- b\n').message).toBe('baimo.yaml:1:1: the top level must be a mapping (providers:, models:, …), got a list');
  });

  it('backoff_max_ms below backoff_base_ms', () => {
    expect(errorOf('routing: {backoff_base_ms: 500, backoff_max_ms: 100}\n').message).toBe(
      'baimo.yaml: routing.backoff_max_ms: backoff_max_ms (100) must be ≥ backoff_base_ms (500)',
    );
  });

  it('reports every issue, in file order, one per line', () => {
    const error = errorOf('routing: {retries: 99}\nserver:\n  port: abc\nproviders:\n  - {name: p, kind: vllm, base_url: "h:1"}\n');
    expect(error.issues.map((issue) => issue.path)).toEqual(['routing.retries', 'server.port', 'providers[0].base_url']);
    expect(error.message.split('\n')).toEqual([
      'baimo.yaml: routing.retries: must be ≤ 10, got 99',
      "  baimo.yaml: server.port: expected a number, got 'abc'",
      "  baimo.yaml: providers[0].base_url: must be an http:// or https:// URL, got 'h:1'",
    ]);
  });

  it('cross-reference problems are all reported together once the file is well-formed', () => {
    const error = errorOf('providers:\n  - {name: p, kind: nope, base_url: "http://h:1"}\nmodels:\n  - {name: m, deployments: [{provider: q, model: x}]}\n');
    expect(error.issues.map((issue) => `${issue.path}@${String(issue.line)}`)).toEqual(['providers[0].kind@2', 'models[0].deployments[0].provider@4']);
  });

  it('price tiers must ascend by above_input_tokens', () => {
    const error = errorOf(
      `${VLLM}models:\n  - name: m\n    price: { input: 1, output: 2, tiers: [{ above_input_tokens: 128000, input: 3, output: 6 }, { above_input_tokens: 32000, input: 2, output: 4 }] }\n    deployments: [{ provider: local-vllm, model: x }]\n`,
    );
    expect(error.message).toContain('models[0].price.tiers[1].above_input_tokens: must be greater than the previous tier');
  });
});
