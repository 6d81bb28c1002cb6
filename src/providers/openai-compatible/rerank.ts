import type { RerankResponse } from '../../protocol/chat.js';
import type { RerankCodec } from '../adapter.js';
import { postJson } from './endpoint.js';
import { asArray, asNonEmptyString, asNumber, asObject, asString, type JsonObject } from './loose-json.js';
import { malformedResponse, throwIfErrorBody } from './response.js';
import type { VendorEntry } from './vendors.js';

/**
 * Jina/Cohere-style rerank as served by SiliconFlow (§17), vLLM (§18), SGLang (§19),
 * llama.cpp (§21) and Zhipu (§10): `{model, query, documents, top_n, return_documents}` →
 * `{results:[{index, relevance_score, document?}]}`.
 */
export function createRerankCodec(vendor: VendorEntry, path: string): RerankCodec {
  return {
    build(req, target) {
      const body: JsonObject = {
        ...req.extra,
        model: target.upstreamModel,
        query: req.query,
        // Plain strings are the one document form every server above accepts.
        documents: req.documents.map((doc) => (typeof doc === 'string' ? doc : doc.text)),
      };
      if (req.top_n !== undefined) body.top_n = req.top_n;
      if (req.return_documents !== undefined) body.return_documents = req.return_documents;
      return postJson(vendor, target, path, body);
    },
    parse(json, ctx) {
      const body = asObject(json);
      if (!body) throw malformedResponse('Upstream returned a rerank response that is not a JSON object.');
      throwIfErrorBody(body, vendor);
      const results = asArray(body.results);
      if (!results) throw malformedResponse('Upstream returned a rerank response without results.');
      const response: RerankResponse = {
        id: asNonEmptyString(body.id) ?? ctx.newId('rerank'),
        model: asString(body.model) ?? '',
        results: results.map((raw, position) => {
          const result = asObject(raw) ?? {};
          const document = documentOf(result.document);
          return {
            index: asNumber(result.index) ?? position,
            relevance_score: asNumber(result.relevance_score) ?? asNumber(result.score) ?? 0,
            ...(document ? { document } : {}),
          };
        }),
        usage: rerankUsage(body),
      };
      return response;
    },
  };
}

function documentOf(value: unknown): { text: string } | undefined {
  if (typeof value === 'string') return { text: value };
  const text = asString(asObject(value)?.text);
  return text === undefined ? undefined : { text };
}

/** `usage.total_tokens` (Jina/vLLM), or SiliconFlow's `meta.tokens.{input,output}_tokens` (§17). */
function rerankUsage(body: JsonObject): RerankResponse['usage'] {
  const usage = asObject(body.usage);
  const total = asNumber(usage?.total_tokens);
  if (total !== undefined) return { total_tokens: total, prompt_tokens: asNumber(usage?.prompt_tokens) };
  const tokens = asObject(asObject(body.meta)?.tokens);
  const input = asNumber(tokens?.input_tokens) ?? 0;
  return { total_tokens: input + (asNumber(tokens?.output_tokens) ?? 0), prompt_tokens: input };
}
