import type { ProviderConfig } from '../../../../src/config/types.js';

/** A SigV4 Bedrock provider with AWS's documented example key pair, for the signing tests. */
export function sigv4Provider(over: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    name: 'aws',
    kind: 'bedrock',
    base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    region: 'us-east-1',
    aws_credentials: { access_key_id: 'AKIDEXAMPLE', secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    headers: {},
    timeouts: { connect_ms: 1000, first_byte_ms: 1000, idle_ms: 1000, total_ms: 1000 },
    ...over,
  };
}
