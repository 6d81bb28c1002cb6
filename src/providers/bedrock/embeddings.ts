import type { EmbeddingsRequest, EmbeddingsResponse } from '../../protocol/chat.js';
import { unsupported } from '../../protocol/errors.js';
import type { DecodeContext, EmbeddingsCodec, HttpRequestSpec, UpstreamTarget } from '../adapter.js';
import { embeddingTextInputs, embeddingUsage } from '../embedding-inputs.js';
import { malformedUpstreamBody, parseUpstream } from '../parse-upstream.js';
import { bedrockPost, type BuildDeps } from './request.js';
import { InvokeEmbeddingsSchema, type InvokeEmbeddings } from './wire.js';

/**
 * OpenAI embeddings ↔ Bedrock InvokeModel (`POST /model/{id}/invoke`, CATALOG.md §5), whose body
 * is the model's own JSON. The family is read from the model id, after any inference-profile
 * prefix (`us.`, `global.`…) or ARN path; `encoding_format` is not sent, the surface encodes the
 * floats for clients that asked for base64.
 */
interface EmbeddingFamily {
  readonly pattern: RegExp;
  readonly body: 'titan' | 'cohere';
  /** Inputs per InvokeModel call: Titan embeds one `inputText`; Cohere Embed takes up to 96 `texts` (Cohere's stated cap; §5 gives none). */
  readonly maxInputs: number;
  /** Where OpenAI's `dimensions` goes, and the sizes the model offers; absent: refused. */
  readonly dimensions?: { field: string; sizes: readonly number[] };
  /** Titan v2's `normalize` (unit vectors, as OpenAI's are); v1 has no such field. */
  readonly normalize?: boolean;
}

const FAMILIES: readonly EmbeddingFamily[] = [
  { pattern: /^amazon\.titan-embed-text-v2/, body: 'titan', maxInputs: 1, dimensions: { field: 'dimensions', sizes: [256, 512, 1024] }, normalize: true },
  // v1 and the rest of the Titan line (Multimodal's text input) take `{inputText}` alone.
  { pattern: /^amazon\.titan-embed/, body: 'titan', maxInputs: 1 },
  { pattern: /^cohere\.embed-v4/, body: 'cohere', maxInputs: 96, dimensions: { field: 'output_dimension', sizes: [256, 512, 1024, 1536] } },
  { pattern: /^cohere\.embed/, body: 'cohere', maxInputs: 96 },
];

/** Cohere fields with no OpenAI counterpart, sent as given from `extra`. */
const COHERE_EXTRA = ['input_type', 'truncate'] as const;

function familyOf(upstreamModel: string): EmbeddingFamily | undefined {
  // `arn:…:foundation-model/amazon.titan-embed-text-v2:0`, `us.cohere.embed-v4:0`.
  const id = upstreamModel.slice(upstreamModel.lastIndexOf('/') + 1).replace(/^[a-z-]+\.(?=(amazon|cohere)\.)/, '');
  return FAMILIES.find((f) => f.pattern.test(id));
}

function requireFamily(upstreamModel: string): EmbeddingFamily {
  const family = familyOf(upstreamModel);
  if (family) return family;
  throw unsupported(
    'Embeddings on this deployment support only the Bedrock families Amazon Titan Embeddings (amazon.titan-embed-*, e.g. amazon.titan-embed-text-v2:0) and Cohere Embed (cohere.embed-*, e.g. cohere.embed-english-v3, cohere.embed-v4:0).',
    'model',
  );
}

/** Most inputs one call to that model takes; undefined for a model id this codec does not speak. */
export function bedrockEmbeddingMaxInputs(upstreamModel: string): number | undefined {
  return familyOf(upstreamModel)?.maxInputs;
}

export function buildBedrockEmbeddings(req: EmbeddingsRequest, target: UpstreamTarget, deps: BuildDeps): HttpRequestSpec {
  const family = requireFamily(target.upstreamModel);
  const texts = embeddingTextInputs(req);
  const body: Record<string, unknown> = family.body === 'titan' ? titanBody(texts) : cohereBody(req, texts);
  if (family.normalize) body.normalize = true;
  if (req.dimensions !== undefined) {
    const dims = family.dimensions;
    if (!dims || !dims.sizes.includes(req.dimensions)) {
      throw unsupported(dims ? `dimensions must be one of ${dims.sizes.join(', ')} for this model.` : 'dimensions is not supported by this model.', 'dimensions');
    }
    body[dims.field] = req.dimensions;
  }
  return bedrockPost(target, 'invoke', body, 'application/json', deps);
}

/** Titan takes one `inputText`; the gateway splits longer lists (`maxInputs`), so more is a caller bug. */
function titanBody(texts: string[]): Record<string, unknown> {
  if (texts.length !== 1) throw unsupported('This model embeds one text per request; send one input.', 'input');
  return { inputText: texts[0] };
}

/** `input_type` defaults to `search_document` (Cohere requires one); floats only, as OpenAI returns. */
function cohereBody(req: EmbeddingsRequest, texts: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { texts, input_type: 'search_document', embedding_types: ['float'] };
  for (const key of COHERE_EXTRA) {
    if (req.extra[key] !== undefined) body[key] = req.extra[key];
  }
  return body;
}

/**
 * Either family's answer → OpenAI's list. Titan reports `inputTextTokenCount`; Cohere on Bedrock
 * reports no usage, so it is ESTIMATED from `req` as Gemini's is (`estimateEmbeddingTokens`).
 */
export function parseBedrockEmbeddings(json: unknown, _ctx: DecodeContext, req?: EmbeddingsRequest): EmbeddingsResponse {
  const body = parseUpstream(InvokeEmbeddingsSchema, json, 'InvokeModel embeddings response');
  const vectors = vectorsOf(body);
  const texts = req ? embeddingTextInputs(req) : undefined;
  if (texts && vectors.length !== texts.length) {
    throw malformedUpstreamBody(`InvokeModel returned ${vectors.length} embeddings for ${texts.length} inputs`);
  }
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding' as const, index, embedding })),
    model: req?.model ?? '',
    usage: embeddingUsage(body.inputTextTokenCount ?? undefined, texts),
  };
}

function vectorsOf(body: InvokeEmbeddings): number[][] {
  if (body.embedding) return [body.embedding];
  const { embeddings } = body;
  if (Array.isArray(embeddings)) return embeddings;
  if (embeddings?.float) return embeddings.float;
  throw malformedUpstreamBody('InvokeModel embeddings response has neither embedding nor embeddings.float');
}

export function createBedrockEmbeddingsCodec(deps: BuildDeps): EmbeddingsCodec {
  return {
    build: (req, target) => buildBedrockEmbeddings(req, target, deps),
    parse: parseBedrockEmbeddings,
    maxInputs: (target) => bedrockEmbeddingMaxInputs(target.upstreamModel),
  };
}
