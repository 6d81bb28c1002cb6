import type { ProviderConfig } from '../../config/types.js';
import type { RerankRequest, RerankResponse } from '../../protocol/chat.js';
import { unsupported } from '../../protocol/errors.js';
import type { DecodeContext, HttpRequestSpec, RerankCodec, UpstreamTarget } from '../adapter.js';
import { estimatedRerankUsage, rerankDocumentTexts } from '../embedding-inputs.js';
import { malformedUpstreamBody, parseUpstream } from '../parse-upstream.js';
import { bedrockPostTo, type BuildDeps } from './request.js';
import { RerankResponseSchema } from './wire.js';

/**
 * Jina/Cohere-style rerank ↔ the Bedrock Agent Runtime's `Rerank` (CATALOG.md §5: `POST /rerank`
 * on `bedrock-agent-runtime.{region}.amazonaws.com`, for `cohere.rerank-v3-5:0` and
 * `amazon.rerank-v1:0`). The model is named by its foundation-model ARN inside the body, not in
 * the path; auth is the runtime's (Bearer key, or SigV4 whose signing name is `bedrock` here too).
 */
export const BEDROCK_RERANK_MODELS = ['cohere.rerank-v3-5:0', 'amazon.rerank-v1:0'] as const;

/** AWS's standard runtime host; its agent-runtime sibling differs only in the first label. */
const RUNTIME_HOST = /^bedrock-runtime(-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(\.cn)?$/i;

/** The foundation-model id of a deployment's `model`: itself, or an ARN's last path segment. */
function rerankModelId(upstreamModel: string): string | undefined {
  const id = upstreamModel.startsWith('arn:') ? upstreamModel.slice(upstreamModel.lastIndexOf('/') + 1) : upstreamModel;
  return (BEDROCK_RERANK_MODELS as readonly string[]).includes(id) ? id : undefined;
}

function requireRerankModel(upstreamModel: string): string {
  const id = rerankModelId(upstreamModel);
  if (id) return id;
  throw unsupported(`Rerank on this deployment supports only the Bedrock rerank models ${BEDROCK_RERANK_MODELS.join(' and ')} (or their ARNs).`, 'model');
}

/**
 * Where `/rerank` goes: `agent_runtime_url` when set; else, for AWS's standard runtime host
 * (written or defaulted from `region`), the same host with `bedrock-runtime` → `bedrock-agent-runtime`;
 * else `base_url` itself (a proxy or the test mock that serves both APIs).
 */
export function agentRuntimeOrigin(provider: ProviderConfig): string {
  if (provider.agent_runtime_url) return provider.agent_runtime_url.replace(/\/+$/, '');
  const base = provider.base_url.replace(/\/+$/, '');
  const url = parseUrl(base);
  if (!url || !RUNTIME_HOST.test(url.hostname)) return base;
  url.hostname = url.hostname.replace(/^bedrock-runtime/i, 'bedrock-agent-runtime');
  return url.toString().replace(/\/+$/, '');
}

/**
 * `arn:<partition>:bedrock:<region>::foundation-model/<id>`, or the deployment's own ARN. The
 * region is the provider's (config fills it from `base_url`'s host or AWS_REGION); a provider
 * without one (a Bedrock API key behind a proxy) must name the model by ARN.
 */
export function rerankModelArn(target: UpstreamTarget): string {
  const id = requireRerankModel(target.upstreamModel);
  if (target.upstreamModel.startsWith('arn:')) return target.upstreamModel;
  const { provider } = target;
  const region = provider.region ?? RUNTIME_HOST.exec(parseUrl(provider.base_url)?.hostname ?? '')?.[2]?.toLowerCase();
  if (!region) {
    throw new Error(`Bedrock provider '${provider.name}' has no region to build the rerank model ARN; set region, or deploy the model by its ARN.`);
  }
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:bedrock:${region}::foundation-model/${id}`;
}


/**
 * One query, every document inline as TEXT. `numberOfResults` is `top_n`, else every document
 * (the API requires it to be at most the number of sources, and refuses more with a 400). Client
 * fields Baimo does not know go to the model as `additionalModelRequestFields`, as on Converse.
 */
export function buildBedrockRerank(req: RerankRequest, target: UpstreamTarget, deps: BuildDeps): HttpRequestSpec {
  const modelConfiguration: Record<string, unknown> = { modelArn: rerankModelArn(target) };
  if (Object.keys(req.extra).length > 0) modelConfiguration.additionalModelRequestFields = req.extra;
  const body = {
    queries: [{ type: 'TEXT', textQuery: { text: req.query } }],
    sources: rerankDocumentTexts(req).map((text) => ({ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text } } })),
    rerankingConfiguration: {
      type: 'BEDROCK_RERANKING_MODEL',
      bedrockRerankingConfiguration: { numberOfResults: req.top_n ?? req.documents.length, modelConfiguration },
    },
  };
  return bedrockPostTo(target, `${agentRuntimeOrigin(target.provider)}/rerank`, body, 'application/json', deps);
}

/**
 * Results in the order Bedrock ranks them. A document is returned only when the client asked
 * (`return_documents`), from Bedrock's echo or else the request; without `req` whatever Bedrock
 * echoed is kept. `nextToken` is not followed: `numberOfResults` never exceeds the sources sent.
 */
export function parseBedrockRerank(json: unknown, ctx: DecodeContext, req?: RerankRequest): RerankResponse {
  const body = parseUpstream(RerankResponseSchema, json, 'Rerank response');
  const texts = req ? rerankDocumentTexts(req) : undefined;
  return {
    id: ctx.newId('rerank'),
    model: req?.model ?? '',
    results: body.results.map((result) => {
      if (texts && result.index >= texts.length) {
        throw malformedUpstreamBody(`Rerank returned index ${result.index} for ${texts.length} documents`);
      }
      const echoed = result.document?.textDocument?.text ?? undefined;
      const text = !texts ? echoed : req!.return_documents ? (echoed ?? texts[result.index]) : undefined;
      return { index: result.index, relevance_score: result.relevanceScore, ...(text !== undefined ? { document: { text } } : {}) };
    }),
    usage: estimatedRerankUsage(req),
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function createBedrockRerankCodec(deps: BuildDeps): RerankCodec {
  return {
    build: (req, target) => buildBedrockRerank(req, target, deps),
    parse: parseBedrockRerank,
  };
}
