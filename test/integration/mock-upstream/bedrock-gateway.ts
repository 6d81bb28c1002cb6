import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { startMockBedrock, type MockBedrock } from './bedrock.js';

/**
 * The mock Bedrock and a gateway in front of it with the two ways Bedrock authenticates:
 * `aws-sigv4` (an access key pair the mock knows) and `aws-key` (a Bedrock API key), both in
 * us-east-1 on the mock's URL. `yaml(mockUrl)` returns what follows them: more providers (list
 * items) and the `models:` and `routing:` sections.
 */
export async function startBedrockGateway(yaml: (mockUrl: string) => string): Promise<{ bedrock: MockBedrock; gw: TestGateway }> {
  const bedrock = await startMockBedrock({
    region: 'us-east-1',
    credentials: { AKIDBAIMOTEST: { secretAccessKey: 'baimo-test-secret' } },
    apiKeys: ['ABSKbaimo-bedrock-key'],
  });
  const gw = await startTestGateway(
    `
providers:
  - name: aws-sigv4
    kind: bedrock
    base_url: "${bedrock.url}"
    region: us-east-1
    aws_access_key_id: "\${AWS_ID}"
    aws_secret_access_key: "\${AWS_SECRET}"
  - { name: aws-key, kind: bedrock, base_url: "${bedrock.url}", region: us-east-1, api_key: "\${AWS_BEARER_TOKEN_BEDROCK}" }
${yaml(bedrock.url)}`,
    { AWS_ID: 'AKIDBAIMOTEST', AWS_SECRET: 'baimo-test-secret', AWS_BEARER_TOKEN_BEDROCK: 'ABSKbaimo-bedrock-key' },
  );
  return { bedrock, gw };
}
