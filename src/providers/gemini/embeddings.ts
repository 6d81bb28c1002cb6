import type { EmbeddingsRequest, EmbeddingsResponse } from '../../protocol/chat.js';
import type { DecodeContext, EmbeddingsCodec, HttpRequestSpec, UpstreamTarget } from '../adapter.js';
import { embeddingTextInputs as textInputs, embeddingUsage } from '../embedding-inputs.js';
import { malformedUpstreamBody, parseUpstream } from '../parse-upstream.js';
import { geminiHeaders, geminiUrl } from './request.js';
import { EmbeddingsResponseSchema } from './wire.js';

/**
 * OpenAI embeddings ↔ Gemini `:batchEmbedContents` (CATALOG.md §4.1), one request per input so
 * a single string and a list take the same path. `dimensions` is `outputDimensionality`;
 * `extra.taskType` (a Gemini field) is sent as given. Token-id inputs have no Gemini form.
 * `encoding_format` is not the upstream's business: the vectors come back as floats and the
 * surface codec encodes them for the client.
 */
export function buildGeminiEmbeddings(req: EmbeddingsRequest, target: UpstreamTarget): HttpRequestSpec {
  const model = `models/${target.upstreamModel.replace(/^models\//, '')}`;
  const requests = textInputs(req).map((text) => {
    const one: Record<string, unknown> = { model, content: { parts: [{ text }] } };
    if (req.extra.taskType !== undefined) one.taskType = req.extra.taskType;
    if (req.dimensions !== undefined) one.outputDimensionality = req.dimensions;
    return one;
  });
  return {
    method: 'POST',
    url: geminiUrl(target.provider.base_url, target.upstreamModel, 'batchEmbedContents'),
    headers: geminiHeaders(target),
    body: JSON.stringify({ requests }),
  };
}

/**
 * `{embeddings:[{values}]}` → OpenAI's list. Gemini reports no token usage for embeddings, and
 * unknown is not zero (STYLE.md): usage is then ESTIMATED (`estimateEmbeddingTokens`). That needs
 * the request, the optional third argument of `EmbeddingsCodec.parse`; without it usage is 0.
 */
export function parseGeminiEmbeddings(json: unknown, _ctx: DecodeContext, req?: EmbeddingsRequest): EmbeddingsResponse {
  const body = parseUpstream(EmbeddingsResponseSchema, json, 'batchEmbedContents response');
  if (req && body.embeddings.length !== textInputs(req).length) {
    throw malformedUpstreamBody(`batchEmbedContents returned ${body.embeddings.length} embeddings for ${textInputs(req).length} inputs`);
  }
  return {
    object: 'list',
    data: body.embeddings.map((e, index) => ({ object: 'embedding' as const, index, embedding: e.values })),
    model: req?.model ?? '',
    usage: embeddingUsage(body.usageMetadata?.promptTokenCount ?? undefined, req && textInputs(req)),
  };
}

export function createGeminiEmbeddingsCodec(): EmbeddingsCodec & {
  parse(json: unknown, ctx: DecodeContext, req?: EmbeddingsRequest): EmbeddingsResponse;
} {
  return { build: buildGeminiEmbeddings, parse: parseGeminiEmbeddings };
}
