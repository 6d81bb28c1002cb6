import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { DEFAULT_TIMEOUTS } from '../../../src/config/defaults.js';
import { BUILTIN_CATALOG, type CatalogVendor } from '../../../src/providers/catalog/index.js';
import { resolveKind } from '../../../src/providers/index.js';
import { fakeResolveKind, resolveKindWith } from './fake-resolve-kind.js';

const load = (text: string | undefined, env: Record<string, string>, warn?: (message: string) => void) =>
  parseConfig(text === undefined ? undefined : { file: 'baimo.yaml', text }, {
    env,
    resolveKind: fakeResolveKind,
    catalog: BUILTIN_CATALOG,
    ...(warn ? { warn } : {}),
  });

describe('built-in catalog publishing', () => {
  it('publishes provider deepseek and its models from DEEPSEEK_API_KEY alone, with no file', () => {
    const config = loadConfig({ env: { DEEPSEEK_API_KEY: 'x' }, resolveKind: fakeResolveKind, cwd: '/nonexistent-dir-for-test' });
    expect(config.providers).toEqual([
      { name: 'deepseek', kind: 'deepseek', base_url: 'https://api.deepseek.com', api_key: 'x', headers: {}, timeouts: DEFAULT_TIMEOUTS },
    ]);
    expect(config.models.map((model) => model.name)).toEqual(['deepseek-v4-flash', 'deepseek-v4-pro', 'deepseek-chat', 'deepseek-reasoner']);
    expect(config.models[0]).toEqual({
      name: 'deepseek-v4-flash',
      capabilities: ['chat', 'tools', 'json', 'reasoning'],
      context_window: 1_000_000,
      max_output_tokens: 384_000,
      price: { input: 0.14, output: 0.28, cached_input: 0.0028 },
      owned_by: 'deepseek',
      deployments: [
        { id: 'deepseek-v4-flash#0', provider: 'deepseek', model: 'deepseek-v4-flash', weight: 1, priority: 0, tags: {}, timeouts: DEFAULT_TIMEOUTS },
      ],
    });
  });

  it('publishes nothing for an unset or empty key, or a vendor the resolver does not know', () => {
    expect(load(undefined, { DEEPSEEK_API_KEY: '' }).models).toEqual([]);
    expect(load(undefined, { SPARK_API_KEY: 'x' }).models).toEqual([]);
  });

  it('publishes several vendors, each under its own provider, in catalog order', () => {
    const config = load(undefined, { DEEPSEEK_API_KEY: 'a', ANTHROPIC_API_KEY: 'b', GEMINI_API_KEY: 'c' });
    expect(config.providers.map((provider) => provider.name)).toEqual(['anthropic', 'gemini', 'deepseek']);
    expect(config.models.find((model) => model.name === 'claude-haiku-4-5')?.deployments[0]?.provider).toBe('anthropic');
    expect(config.models.find((model) => model.name === 'gemini-2.5-flash')?.owned_by).toBe('gemini');
  });

  it('the file wins: a model of the same name replaces the catalog one', () => {
    const config = load(
      'providers: [{name: vllm, kind: vllm, base_url: "http://h:8000/v1"}]\nmodels:\n  - {name: deepseek-chat, deployments: [{provider: vllm, model: deepseek-ai/DeepSeek-V3}]}\n',
      { DEEPSEEK_API_KEY: 'x' },
    );
    const chat = config.models.filter((model) => model.name === 'deepseek-chat');
    expect(chat).toHaveLength(1);
    expect(chat[0]?.deployments[0]).toMatchObject({ provider: 'vllm', model: 'deepseek-ai/DeepSeek-V3' });
    expect(config.models[0]?.name).toBe('deepseek-chat');
    expect(config.models.map((model) => model.name)).toContain('deepseek-v4-pro');
  });

  it('the file wins: a provider of the vendor name serves the catalog models with its settings', () => {
    const config = load(
      'providers:\n  - name: deepseek\n    kind: deepseek\n    base_url: https://proxy.internal/deepseek\n    timeouts: {first_byte_ms: 900000}\n',
      { DEEPSEEK_API_KEY: 'from-env' },
    );
    expect(config.providers).toHaveLength(1);
    expect(config.providers[0]).toMatchObject({ base_url: 'https://proxy.internal/deepseek', api_key: 'from-env' });
    const deployment = config.models.find((model) => model.name === 'deepseek-v4-pro')?.deployments[0];
    expect(deployment).toMatchObject({ provider: 'deepseek', timeouts: { ...DEFAULT_TIMEOUTS, first_byte_ms: 900_000 } });
  });

  it('lets file deployments use the published provider', () => {
    const config = load('models:\n  - {name: ds-fast, deployments: [{provider: deepseek, model: deepseek-v4-flash}]}\n', { DEEPSEEK_API_KEY: 'x' });
    expect(config.models[0]?.deployments[0]?.provider).toBe('deepseek');
  });

  it('with currency CNY, publishes catalog models without USD prices and warns once', () => {
    const warnings: string[] = [];
    const config = load('currency: CNY\n', { DEEPSEEK_API_KEY: 'x', ANTHROPIC_API_KEY: 'y' }, (message) => warnings.push(message));
    expect(config.models.length).toBeGreaterThan(4);
    expect(config.models.every((model) => model.price === undefined)).toBe(true);
    expect(warnings).toEqual([
      'baimo.yaml: currency: is CNY but built-in catalog prices are USD: catalog models are published without prices; set prices in baimo.yaml',
    ]);
  });

  it('skips a vendor whose kind has no default base URL, with a warning naming the variable', () => {
    const warnings: string[] = [];
    const catalog: CatalogVendor[] = [{ vendorId: 'acme', doc: 'test', models: [{ name: 'acme-1', upstream: 'a1', capabilities: ['chat'], currency: 'USD' }] }];
    const config = parseConfig(undefined, {
      env: { ACME_KEY: 'k' },
      resolveKind: resolveKindWith({ acme: { family: 'openai-compatible', vendorId: 'acme', envKey: 'ACME_KEY' } }),
      catalog,
      warn: (message) => warnings.push(message),
    });
    expect(config.models).toEqual([]);
    expect(warnings).toEqual([
      "env: ACME_KEY: is set but kind 'acme' has no default base URL; define provider 'acme' with a base_url to publish its models",
    ]);
  });

  it('reports a file deployment id that collides with a catalog deployment id', () => {
    expect(() =>
      load('providers: [{name: v, kind: vllm, base_url: "http://h:1"}]\nmodels: [{name: mine, deployments: [{id: "deepseek-chat#0", provider: v, model: x}]}]\n', {
        DEEPSEEK_API_KEY: 'x',
      }),
    ).toThrow(
      "baimo.yaml: models[0].deployments[0].id: deployment id 'deepseek-chat#0' is also the id of built-in catalog model 'deepseek-chat'; choose another id",
    );
  });
});

/** Bedrock (CATALOG.md §5) with the real kind table: the key variable publishes, the AWS region variables place the provider. */
describe('built-in catalog publishing: Bedrock', () => {
  const loadAws = (text: string | undefined, env: Record<string, string>) => {
    const warnings: string[] = [];
    const config = parseConfig(text === undefined ? undefined : { file: 'baimo.yaml', text }, {
      env,
      resolveKind,
      catalog: BUILTIN_CATALOG,
      warn: (message) => warnings.push(message),
    });
    return { config, warnings };
  };
  const BEDROCK_MODELS = [
    'amazon.nova-2-lite-v1:0',
    'amazon.nova-lite-v1:0',
    'amazon.nova-pro-v1:0',
    'anthropic.claude-opus-4-7',
    'anthropic.claude-sonnet-4-5-20250929-v1:0',
    'anthropic.claude-haiku-4-5-20251001-v1:0',
    'amazon.titan-embed-text-v2:0',
  ];

  it('AWS_BEARER_TOKEN_BEDROCK + AWS_REGION publishes provider bedrock in that region and its models', () => {
    const { config, warnings } = loadAws(undefined, { AWS_BEARER_TOKEN_BEDROCK: 'ABSK-key', AWS_REGION: 'eu-central-1' });
    expect(warnings).toEqual([]);
    expect(config.providers).toEqual([
      {
        name: 'bedrock',
        kind: 'bedrock',
        base_url: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
        region: 'eu-central-1',
        api_key: 'ABSK-key',
        headers: {},
        timeouts: DEFAULT_TIMEOUTS,
      },
    ]);
    expect(config.models.map((model) => model.name)).toEqual(BEDROCK_MODELS);
    expect(config.models.find((model) => model.name === 'anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual({
      name: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      capabilities: ['chat', 'tools', 'vision', 'reasoning'],
      context_window: 200_000,
      max_output_tokens: 64_000,
      price: { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 },
      owned_by: 'bedrock',
      deployments: [
        {
          id: 'anthropic.claude-sonnet-4-5-20250929-v1:0#0',
          provider: 'bedrock',
          model: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
          weight: 1,
          priority: 0,
          tags: {},
          timeouts: DEFAULT_TIMEOUTS,
        },
      ],
    });
    expect(config.models.find((model) => model.name === 'amazon.titan-embed-text-v2:0')).toMatchObject({
      capabilities: ['embeddings'],
      price: { input: 0.02, output: 0 },
      deployments: [{ provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0' }],
    });
  });

  it('takes the region from AWS_DEFAULT_REGION alone; AWS_REGION wins when both are set', () => {
    const fallback = loadAws(undefined, { AWS_BEARER_TOKEN_BEDROCK: 'k', AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-southeast-2' });
    expect(fallback.warnings).toEqual([]);
    expect(fallback.config.providers).toMatchObject([{ name: 'bedrock', base_url: 'https://bedrock-runtime.ap-southeast-2.amazonaws.com', region: 'ap-southeast-2' }]);
    expect(fallback.config.models).toHaveLength(BEDROCK_MODELS.length);
    const both = loadAws(undefined, { AWS_BEARER_TOKEN_BEDROCK: 'k', AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'ap-southeast-2' });
    expect(both.config.providers[0]).toMatchObject({ base_url: 'https://bedrock-runtime.us-east-2.amazonaws.com', region: 'us-east-2' });
  });

  it('without a region, starts anyway: warns naming AWS_REGION and publishes nothing for Bedrock', () => {
    const { config, warnings } = loadAws(undefined, { AWS_BEARER_TOKEN_BEDROCK: 'k', AWS_REGION: '', DEEPSEEK_API_KEY: 'd' });
    expect(warnings).toEqual([
      "env: AWS_BEARER_TOKEN_BEDROCK: is set but neither AWS_REGION nor AWS_DEFAULT_REGION is; set AWS_REGION (e.g. us-east-1) to publish Bedrock's models, or define provider 'bedrock' with a region",
    ]);
    expect(config.providers.map((provider) => provider.name)).toEqual(['deepseek']);
    expect(config.models.filter((model) => model.owned_by === 'bedrock' || BEDROCK_MODELS.includes(model.name))).toEqual([]);
  });

  it('a region variable that is not a region id publishes nothing, with a warning (it would go into the URL)', () => {
    const { config, warnings } = loadAws(undefined, { AWS_BEARER_TOKEN_BEDROCK: 'k', AWS_REGION: 'evil.example/x' });
    expect(warnings).toEqual([
      "env: AWS_BEARER_TOKEN_BEDROCK: is set but the region 'evil.example/x' (AWS_REGION / AWS_DEFAULT_REGION) is not an AWS region such as us-east-1; Bedrock's models are not published",
    ]);
    expect(config.providers).toEqual([]);
  });

  it('without a region but with a bedrock provider of another name in the file, says nothing (the variable is its key)', () => {
    const { config, warnings } = loadAws('providers:\n  - { name: aws, kind: bedrock, region: us-west-2 }\n', { AWS_BEARER_TOKEN_BEDROCK: 'k', AWS_REGION: '' });
    expect(warnings).toEqual([]);
    expect(config.providers.map((provider) => provider.name)).toEqual(['aws']);
    expect(config.models).toEqual([]);
  });

  it('a file provider named bedrock serves the catalog models in its own region', () => {
    const { config, warnings } = loadAws('providers:\n  - { name: bedrock, kind: bedrock, region: us-west-2 }\n', { AWS_BEARER_TOKEN_BEDROCK: 'ABSK-file' });
    expect(warnings).toEqual([]);
    expect(config.providers).toHaveLength(1);
    expect(config.providers[0]).toMatchObject({ name: 'bedrock', base_url: 'https://bedrock-runtime.us-west-2.amazonaws.com', region: 'us-west-2', api_key: 'ABSK-file' });
    expect(config.models.map((model) => model.name)).toEqual(BEDROCK_MODELS);
    expect(config.models.every((model) => model.deployments[0]?.provider === 'bedrock')).toBe(true);
  });
});
