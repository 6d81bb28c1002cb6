import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { resolveKind } from '../../../src/providers/index.js';

/** `kind: bedrock` (CATALOG.md §5): region, base URL and credentials from the file or the AWS variables (config/aws-provider.ts). */
function load(provider: string, env: Record<string, string> = {}) {
  const text = `providers:\n  - ${provider}\n`;
  return parseConfig({ file: 'baimo.yaml', text }, { env, resolveKind, catalog: [] }).providers[0]!;
}

function problems(provider: string, env: Record<string, string> = {}): string[] {
  try {
    load(provider, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('bedrock provider config', () => {
  it('is a known kind of the bedrock family', () => {
    expect(resolveKind('bedrock')).toMatchObject({ family: 'bedrock', envKey: 'AWS_BEARER_TOKEN_BEDROCK' });
  });

  it('Bedrock API key from AWS_BEARER_TOKEN_BEDROCK; base URL from the region', () => {
    const p = load('{ name: aws, kind: bedrock, region: eu-west-1 }', { AWS_BEARER_TOKEN_BEDROCK: 'ABSK-key' });
    expect(p).toMatchObject({ base_url: 'https://bedrock-runtime.eu-west-1.amazonaws.com', region: 'eu-west-1', api_key: 'ABSK-key' });
    expect(p.aws_credentials).toBeUndefined();
  });

  it('SigV4 from the standard AWS variables, region from AWS_REGION', () => {
    const p = load('{ name: aws, kind: bedrock }', { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'tok', AWS_REGION: 'us-west-2' });
    expect(p).toMatchObject({
      base_url: 'https://bedrock-runtime.us-west-2.amazonaws.com',
      region: 'us-west-2',
      aws_credentials: { access_key_id: 'AKID', secret_access_key: 'secret', session_token: 'tok' },
    });
    expect(p.api_key).toBeUndefined();
  });

  it('a key pair written in the file wins over an API key in the environment, and the region comes from base_url', () => {
    const p = load(
      '{ name: aws, kind: bedrock, base_url: "https://bedrock-runtime.ap-northeast-1.amazonaws.com", aws_access_key_id: "${ID}", aws_secret_access_key: "${SECRET}" }',
      { ID: 'AKID2', SECRET: 's2', AWS_BEARER_TOKEN_BEDROCK: 'ABSK', AWS_REGION: 'us-east-1' },
    );
    expect(p).toMatchObject({ region: 'ap-northeast-1', aws_credentials: { access_key_id: 'AKID2', secret_access_key: 's2' } });
    expect(p.api_key).toBeUndefined();
  });

  it('an api_key in the file wins over key variables in the environment', () => {
    const p = load('{ name: aws, kind: bedrock, region: us-east-1, api_key: "${K}" }', { K: 'ABSK', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's' });
    expect(p.api_key).toBe('ABSK');
    expect(p.aws_credentials).toBeUndefined();
  });

  it('names what is missing or contradictory', () => {
    expect(problems('{ name: aws, kind: bedrock, region: us-east-1 }')).toEqual([
      'providers[0].api_key: kind bedrock needs credentials: api_key (or AWS_BEARER_TOKEN_BEDROCK), or aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    ]);
    expect(problems('{ name: aws, kind: bedrock, api_key: k }')).toEqual(['providers[0].region: missing: set region (or AWS_REGION), or a base_url']);
    expect(problems('{ name: aws, kind: bedrock, region: us-east-1, aws_access_key_id: AKID }')).toEqual([
      'providers[0].aws_secret_access_key: missing (aws_access_key_id is set)',
    ]);
    expect(problems('{ name: aws, kind: bedrock, region: us-east-1, api_key: k, aws_access_key_id: a, aws_secret_access_key: s }')[0]).toMatch(/set either api_key/);
    expect(problems('{ name: aws, kind: bedrock, base_url: "http://127.0.0.1:9000" }', { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' })[0]).toMatch(
      /^providers\[0\]\.region: missing: SigV4 signing needs a region/,
    );
    expect(problems('{ name: aws, kind: bedrock, region: "US East", api_key: k }')[0]).toMatch(/^providers\[0\]\.region: expected an AWS region/);
  });

  it('a Bedrock API key needs no region with an explicit base_url (a proxy, a mock)', () => {
    expect(load('{ name: aws, kind: bedrock, base_url: "http://127.0.0.1:9000/", api_key: k }')).toMatchObject({ base_url: 'http://127.0.0.1:9000', api_key: 'k' });
  });

  it('warns about a literal secret key, as for api_key', () => {
    const warnings: string[] = [];
    parseConfig(
      { file: 'baimo.yaml', text: 'providers:\n  - { name: aws, kind: bedrock, region: us-east-1, aws_access_key_id: AKID, aws_secret_access_key: plain-secret }\n' },
      { env: {}, resolveKind, catalog: [], warn: (message) => warnings.push(message) },
    );
    expect(warnings).toEqual([expect.stringContaining('providers[0].aws_secret_access_key: is a literal secret')]);
  });

  it('refuses AWS fields on other kinds', () => {
    expect(problems('{ name: x, kind: anthropic, api_key: k, region: us-east-1 }')).toEqual(["providers[0].region: only providers of kind 'bedrock' take region"]);
    expect(problems('{ name: x, kind: anthropic, api_key: k, agent_runtime_url: "https://a.example" }')).toEqual([
      "providers[0].agent_runtime_url: only providers of kind 'bedrock' take agent_runtime_url",
    ]);
  });

  it('agent_runtime_url (rerank host) is optional, kept without a trailing slash, and must be a URL', () => {
    expect(load('{ name: aws, kind: bedrock, region: us-east-1, api_key: k }').agent_runtime_url).toBeUndefined();
    const p = load('{ name: aws, kind: bedrock, region: us-east-1, api_key: k, agent_runtime_url: "https://vpce-1.bedrock-agent-runtime.us-east-1.vpce.amazonaws.com/" }');
    expect(p.agent_runtime_url).toBe('https://vpce-1.bedrock-agent-runtime.us-east-1.vpce.amazonaws.com');
    expect(problems('{ name: aws, kind: bedrock, region: us-east-1, api_key: k, agent_runtime_url: "vpce-1" }')[0]).toMatch(/^providers\[0\]\.agent_runtime_url: must be an http/);
  });
});
