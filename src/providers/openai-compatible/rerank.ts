import type { RerankRequest, RerankResponse } from '../../protocol/chat.js';
import type { RerankCodec } from '../adapter.js';
import { postJson } from './endpoint.js';
import { asArray, asNonEmptyString, asNumber, asObject, asString, type JsonObject } from './loose-json.js';
import { malformedResponse, throwIfErrorBody } from './response.js';
import { estimatedRerankUsage } from '../embedding-inputs.js';
import type { RerankRoute, RerankShape, VendorEntry } from './vendors.js';

/**
 * Rerank over the vendor's `paths.rerank` routes (vendors.ts `RerankRoute`): the first route whose
 * model prefixes match the upstream model id builds the request, in that route's shape.
 */
export function createRerankCodec(vendor: VendorEntry, routes: readonly RerankRoute[]): RerankCodec {
  return {
    build(req, target) {
      const route = routeFor(routes, target.upstreamModel);
      return postJson(vendor, target, route, REQUEST_BODY[route.shape](req, target.upstreamModel));
    },
    // The adapter contract gives `parse` no target, so it reads every shape's envelope; a body has one.
    parse(json, ctx, req) {
      const body = asObject(json);
      if (!body) throw malformedResponse('Upstream returned a rerank response that is not a JSON object.');
      throwIfErrorBody(body, vendor);
      const results = asArray(body.results) ?? asArray(asObject(body.output)?.results);
      if (!results) throw malformedResponse('Upstream returned a rerank response without results.');
      const response: RerankResponse = {
        id: asNonEmptyString(body.id) ?? asNonEmptyString(body.request_id) ?? ctx.newId('rerank'),
        model: asString(body.model) ?? '',
        // Upstream order is kept (most relevant first for every vendor here).
        results: results.map((raw, position) => {
          const result = asObject(raw) ?? {};
          const document = documentOf(result.document);
          return {
            index: asNumber(result.index) ?? position,
            relevance_score: asNumber(result.relevance_score) ?? asNumber(result.score) ?? 0,
            ...(document ? { document } : {}),
          };
        }),
        usage: rerankUsage(body, req),
      };
      return response;
    },
  };
}

/** The route for an upstream model: the first whose prefixes match, else the last (the catch-all). */
export function routeFor(routes: readonly RerankRoute[], upstreamModel: string): RerankRoute {
  const route = routes.find((r) => r.models === undefined || r.models.some((prefix) => upstreamModel.startsWith(prefix)));
  const chosen = route ?? routes[routes.length - 1];
  if (!chosen) throw new Error('A vendor rerank path list must not be empty.');
  return chosen;
}

/** Plain strings are the one document form every upstream here accepts. */
const documentTexts = (req: RerankRequest): string[] => req.documents.map((doc) => (typeof doc === 'string' ? doc : doc.text));

/** Optional fields the client set (`top_n`, `return_documents`), and nothing for the ones it did not. */
function options(req: RerankRequest): JsonObject {
  const out: JsonObject = {};
  if (req.top_n !== undefined) out.top_n = req.top_n;
  if (req.return_documents !== undefined) out.return_documents = req.return_documents;
  return out;
}

const REQUEST_BODY: Readonly<Record<RerankShape, (req: RerankRequest, model: string) => JsonObject>> = {
  // Unknown client fields ride along top-level, as in the other OpenAI-compatible codecs.
  jina: (req, model) => ({ ...req.extra, model, query: req.query, documents: documentTexts(req), ...options(req) }),
  // DashScope native (§6.5): every option sits in `parameters`, so client extras go there too.
  'dashscope-native': (req, model) => {
    const parameters = { ...req.extra, ...options(req) };
    return {
      model,
      input: { query: req.query, documents: documentTexts(req) },
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    };
  },
};

function documentOf(value: unknown): { text: string } | undefined {
  if (typeof value === 'string') return { text: value };
  const text = asString(asObject(value)?.text);
  return text === undefined ? undefined : { text };
}

/**
 * `usage.{total_tokens, prompt_tokens?}` (Jina, vLLM, DashScope, Zhipu, Qianfan), or SiliconFlow's
 * `meta.tokens.{input,output}_tokens` (§17); estimated (and marked so) when it reports neither.
 */
function rerankUsage(body: JsonObject, req: RerankRequest | undefined): RerankResponse['usage'] {
  const usage = asObject(body.usage);
  const prompt = asNumber(usage?.prompt_tokens) ?? asNumber(usage?.input_tokens);
  const total = asNumber(usage?.total_tokens) ?? prompt;
  if (total !== undefined) return prompt === undefined ? { total_tokens: total } : { total_tokens: total, prompt_tokens: prompt };
  const tokens = asObject(asObject(body.meta)?.tokens);
  const input = asNumber(tokens?.input_tokens);
  if (input === undefined) return estimatedRerankUsage(req);
  return { total_tokens: input + (asNumber(tokens?.output_tokens) ?? 0), prompt_tokens: input };
}
