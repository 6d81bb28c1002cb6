import type { ProviderConfig } from '../../config/types.js';
import type { Adapter, RequestSigner } from '../adapter.js';
import { createBedrockEmbeddingsCodec } from './embeddings.js';
import { mapBedrockError } from './errors.js';
import { createBedrockRerankCodec } from './rerank.js';
import { buildBedrockRequest } from './request.js';
import { parseBedrockResponse } from './response.js';
import { createSigV4Signer } from './signing.js';
import { createBedrockDecoder } from './stream.js';

export interface BedrockAdapterOptions {
  /** Epoch milliseconds for SigV4 signing dates; tests fix it. Omitted: the signer reads the clock. */
  now?: () => number;
}

/**
 * The native AWS Bedrock adapter (CATALOG.md §5, Appendix A "Native adapters"): chat over Converse
 * and ConverseStream (binary event-stream), and embeddings over InvokeModel with the model's own
 * body (Amazon Titan Text Embeddings, one text per call, and Cohere Embed; embeddings.ts), and
 * rerank over the Agent Runtime's `POST /rerank` (Cohere Rerank 3.5, Amazon Rerank 1; rerank.ts,
 * on the `bedrock-agent-runtime` host), all authenticated by a Bedrock API key (Bearer) or SigV4.
 *
 * @example
 * const adapter = createBedrockAdapter({ now: () => Date.now() });
 * const spec = adapter.chat.build(req, { provider, upstreamModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }, { stream: true });
 */
export function createBedrockAdapter(opts: BedrockAdapterOptions = {}): Adapter {
  // One signer per provider config: the signer caches its derived signing key for the day.
  const signers = new WeakMap<ProviderConfig, RequestSigner>();
  const signerFor = ({ provider }: { provider: ProviderConfig }): RequestSigner | undefined => {
    const credentials = provider.aws_credentials;
    if (!credentials) return undefined;
    let signer = signers.get(provider);
    if (!signer) {
      // Config validation (config/aws-provider.ts) gives every SigV4 provider a region.
      if (!provider.region) throw new Error(`Bedrock provider '${provider.name}' has SigV4 credentials but no region.`);
      signer = createSigV4Signer({ credentials, region: provider.region, now: opts.now });
      signers.set(provider, signer);
    }
    return signer;
  };
  return {
    family: 'bedrock',
    chat: {
      build: (req, target, buildOpts) => buildBedrockRequest(req, target, buildOpts, { signerFor }),
      parse: parseBedrockResponse,
      decoder: createBedrockDecoder,
    },
    embeddings: createBedrockEmbeddingsCodec({ signerFor }),
    rerank: createBedrockRerankCodec({ signerFor }),
    mapError: mapBedrockError,
  };
}

export { bedrockEmbeddingMaxInputs, parseBedrockEmbeddings } from './embeddings.js';
export { agentRuntimeOrigin, BEDROCK_RERANK_MODELS, parseBedrockRerank } from './rerank.js';
