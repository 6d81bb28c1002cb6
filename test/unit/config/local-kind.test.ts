import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { DEFAULT_ENGINE } from '../../../src/config/defaults.js';
import { LOCAL_KIND } from '../../../src/providers/local/vendor.js';
import { resolveKindWith } from './fake-resolve-kind.js';

/** `kind: local` in baimo.yaml: engine options, defaults, GGUF paths, and the errors for misuse. */

const resolveKind = resolveKindWith({ local: LOCAL_KIND });
const parse = (text: string, source: { file?: string; dir?: string } = {}) =>
  parseConfig({ file: source.file ?? 'baimo.yaml', text, dir: source.dir ?? '/srv/baimo' }, { env: {}, resolveKind, catalog: [] });
const issuesOf = (text: string) => {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
};

const BRIEF = `
providers:
  - name: laptop
    kind: local
    threads: 1
models:
  - name: tiny-stories
    capabilities: [chat]
    deployments: [{ provider: laptop, model: ./models/stories260K.gguf }]
  - name: tiny-embed
    capabilities: [embeddings]
    deployments: [{ provider: laptop, model: /opt/models/embed.gguf }]
`;

describe('kind: local', () => {
  it('needs no base_url: the provider gets the in-process URL, and engine defaults', () => {
    const config = parse(BRIEF);
    expect(config.providers[0]).toMatchObject({
      name: 'laptop',
      kind: 'local',
      base_url: 'local://laptop',
      engine: { threads: 1, ...DEFAULT_ENGINE },
    });
    expect(config.providers[0]!.engine).not.toHaveProperty('context_size');
  });

  it('resolves a relative GGUF path against the config file directory; an absolute one stays', () => {
    const config = parse(BRIEF, { dir: '/etc/baimo' });
    expect(config.models.map((m) => m.deployments[0]!.model)).toEqual(['/etc/baimo/models/stories260K.gguf', '/opt/models/embed.gguf']);
  });

  it('loadConfig takes the directory from the file it read, not the working directory', () => {
    const config = loadConfig({ path: 'conf/baimo.yaml', cwd: '/home/op', env: {}, resolveKind, catalog: [], readFile: () => BRIEF });
    expect(config.models[0]!.deployments[0]!.model).toBe('/home/op/conf/models/stories260K.gguf');
  });

  it('takes every engine option, numbers written as strings too', () => {
    const config = parse(`
providers:
  - { name: box, kind: local, threads: "3", context_size: 4096, max_loaded_models: 1, sequences: 4, max_queue: 0 }
`);
    expect(config.providers[0]!.engine).toEqual({ threads: 3, context_size: 4096, max_loaded_models: 1, sequences: 4, max_queue: 0 });
  });

  it('encodes provider names that are not URL-safe', () => {
    expect(parse('providers: [{ name: "gpu@rack:1", kind: local }]').providers[0]!.base_url).toBe('local://gpu%40rack%3A1');
  });

  it('refuses network fields on a local provider, naming their paths', () => {
    expect(issuesOf(`
providers:
  - { name: laptop, kind: local, base_url: "http://127.0.0.1:8080/v1", api_key: "\${KEY}" }
`.replace('${KEY}', 'literal'))).toEqual([
      "providers[0].base_url: kind 'local' runs inside the gateway process and takes no base_url",
      "providers[0].api_key: kind 'local' runs inside the gateway process and takes no api_key",
    ]);
  });

  it('refuses engine options on a network provider', () => {
    expect(issuesOf(`
providers:
  - { name: vllm, kind: vllm, base_url: "http://127.0.0.1:8000/v1", threads: 4 }
`)).toEqual(["providers[0].threads: is an option of the in-process engine (kind: local); kind 'vllm' does not take it"]);
  });

  it.each([
    ['threads: 0', 'providers[0].threads'],
    ['sequences: 0', 'providers[0].sequences'],
    ['context_size: 8', 'providers[0].context_size'],
    ['max_loaded_models: -1', 'providers[0].max_loaded_models'],
    ['max_queue: many', 'providers[0].max_queue'],
    ['thread: 2', 'providers[0].thread'],
  ])('refuses %s at %s', (field, path) => {
    const issues = issuesOf(`providers: [{ name: laptop, kind: local, ${field} }]`);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.startsWith(`${path}: `)).toBe(true);
  });

  it('suggests local for a near miss', () => {
    expect(issuesOf('providers: [{ name: laptop, kind: locl }]')[0]).toContain("did you mean 'local'");
  });
});
