/**
 * The AWS half of a `kind: bedrock` provider (CATALOG.md §5): its region and how it
 * authenticates. Bedrock takes either a Bedrock API key (`Authorization: Bearer`, the provider's
 * `api_key` or AWS_BEARER_TOKEN_BEDROCK) or SigV4 with an access key pair. Fields written in
 * baimo.yaml win; the standard AWS variables fill what the file leaves out:
 *   region                  ← `region`, else the region in `base_url`'s host, else AWS_REGION / AWS_DEFAULT_REGION
 *   base_url                ← `base_url`, else https://bedrock-runtime.{region}.amazonaws.com
 *   agent_runtime_url       ← `agent_runtime_url` only (rerank's host; absent: derived from base_url by the adapter)
 *   credentials             ← `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`) from the file;
 *                             else `api_key` (file or AWS_BEARER_TOKEN_BEDROCK);
 *                             else AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN)
 * A provider that ends up with no credentials, or with SigV4 and no region, is a config error:
 * every Bedrock call would fail, so the start stops and names the field instead.
 * The provider the built-in catalog publishes from AWS_BEARER_TOKEN_BEDROCK alone (no file provider
 * named `bedrock`) gets its region and base URL from `regionFromEnv` and `bedrockBaseUrl` below
 * (config/publish-catalog.ts).
 */
import type { Env, PathIssue } from './expand-env.js';
import type { PathSegment } from './errors.js';
import type { FileProvider } from './schema.js';
import type { AwsCredentials, ProviderConfig } from './types.js';

/** The provider fields only `kind: bedrock` reads. */
export const AWS_FIELDS = ['region', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'agent_runtime_url'] as const;

export const BEDROCK_BASE_URL_TEMPLATE = 'https://bedrock-runtime.{region}.amazonaws.com';

export interface AwsProviderFields {
  base_url: string;
  region?: string;
  /** The Bedrock API key, or undefined when the provider signs with SigV4. */
  api_key?: string;
  aws_credentials?: AwsCredentials;
  agent_runtime_url?: string;
}

/**
 * @param apiKey the key the generic resolution found (`api_key`, else the kind's env key)
 * @example resolveAwsProvider({ name: 'aws', kind: 'bedrock', region: 'us-west-2' }, undefined, env, ['providers', 0], issues)
 */
export function resolveAwsProvider(
  provider: FileProvider,
  apiKey: string | undefined,
  env: Env,
  at: readonly PathSegment[],
  issues: PathIssue[],
): AwsProviderFields {
  const region = given(provider.region) ?? regionFromUrl(provider.base_url) ?? regionFromEnv(env);
  const baseUrl = provider.base_url ?? (region === undefined ? '' : bedrockBaseUrl(region));
  if (provider.base_url === undefined && region === undefined) {
    issues.push({ at: [...at, 'region'], message: 'missing: set region (or AWS_REGION), or a base_url' });
  }
  const out: AwsProviderFields = { base_url: baseUrl };
  if (region !== undefined) out.region = region;
  if (provider.agent_runtime_url !== undefined) out.agent_runtime_url = provider.agent_runtime_url;

  const explicitPair = provider.aws_access_key_id !== undefined || provider.aws_secret_access_key !== undefined;
  if (explicitPair && provider.api_key !== undefined) {
    issues.push({ at: [...at, 'api_key'], message: 'set either api_key (a Bedrock API key) or aws_access_key_id/aws_secret_access_key, not both' });
  }
  let credentials: AwsCredentials | undefined;
  if (explicitPair) {
    credentials = pair(provider.aws_access_key_id, provider.aws_secret_access_key, provider.aws_session_token, at, issues, 'aws_');
  } else if (given(apiKey) !== undefined) {
    out.api_key = apiKey;
    return out;
  } else if (given(env.AWS_ACCESS_KEY_ID) !== undefined || given(env.AWS_SECRET_ACCESS_KEY) !== undefined) {
    credentials = pair(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, provider.aws_session_token ?? env.AWS_SESSION_TOKEN, at, issues, 'AWS_');
  } else {
    issues.push({
      at: [...at, 'api_key'],
      message: 'kind bedrock needs credentials: api_key (or AWS_BEARER_TOKEN_BEDROCK), or aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    });
  }
  if (credentials) {
    out.aws_credentials = credentials;
    if (region === undefined && provider.base_url !== undefined) {
      issues.push({ at: [...at, 'region'], message: `missing: SigV4 signing needs a region, and base_url '${provider.base_url}' names none; set region (or AWS_REGION)` });
    }
  }
  return out;
}

/** Write the resolved AWS fields onto a provider; a SigV4 provider keeps no bearer key. */
export function applyAwsFields(resolved: ProviderConfig, aws: AwsProviderFields): void {
  resolved.base_url = aws.base_url.replace(/\/+$/, '');
  if (aws.api_key === undefined) delete resolved.api_key;
  else resolved.api_key = aws.api_key;
  if (aws.region !== undefined) resolved.region = aws.region;
  if (aws.aws_credentials !== undefined) resolved.aws_credentials = aws.aws_credentials;
  if (aws.agent_runtime_url !== undefined) resolved.agent_runtime_url = aws.agent_runtime_url.replace(/\/+$/, '');
}

/** Issues for AWS fields written on a provider of another kind (they would be silently ignored). */
export function refuseAwsFields(provider: FileProvider, at: readonly PathSegment[], issues: PathIssue[]): void {
  for (const field of AWS_FIELDS) {
    if (provider[field] !== undefined) issues.push({ at: [...at, field], message: `only providers of kind 'bedrock' take ${field}` });
  }
}

/** What an AWS region id looks like (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`). */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The region the standard AWS variables name: AWS_REGION, else AWS_DEFAULT_REGION (empty = unset). */
export function regionFromEnv(env: Env): string | undefined {
  return given(env.AWS_REGION) ?? given(env.AWS_DEFAULT_REGION);
}

/** The default Bedrock Runtime origin of a region. */
export function bedrockBaseUrl(region: string): string {
  return BEDROCK_BASE_URL_TEMPLATE.replace('{region}', region);
}

/** `bedrock-runtime.us-east-1.amazonaws.com`, `bedrock-runtime-fips.us-gov-west-1.amazonaws.com`, `….amazonaws.com.cn`. */
export function regionFromUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  return /^https?:\/\/bedrock-runtime(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?(?:[:/]|$)/i.exec(url)?.[1]?.toLowerCase();
}

function pair(
  id: string | undefined,
  secret: string | undefined,
  token: string | undefined,
  at: readonly PathSegment[],
  issues: PathIssue[],
  prefix: 'aws_' | 'AWS_',
): AwsCredentials | undefined {
  const name = (field: string) => (prefix === 'aws_' ? `aws_${field}` : `AWS_${field.toUpperCase()}`);
  if (given(id) === undefined) issues.push({ at: [...at, 'aws_access_key_id'], message: `missing (${name('secret_access_key')} is set)` });
  if (given(secret) === undefined) issues.push({ at: [...at, 'aws_secret_access_key'], message: `missing (${name('access_key_id')} is set)` });
  if (given(id) === undefined || given(secret) === undefined) return undefined;
  const credentials: AwsCredentials = { access_key_id: id!, secret_access_key: secret! };
  if (given(token) !== undefined) credentials.session_token = token;
  return credentials;
}

/** `${AWS_SESSION_TOKEN:-}` expands to '': an empty value is no value. */
function given(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
