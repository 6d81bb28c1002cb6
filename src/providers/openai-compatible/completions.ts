import type { CompletionCodec } from '../adapter.js';
import { createCompletionStreamDecoder } from './completion-stream.js';
import { postJson } from './endpoint.js';
import { asArray, asObject, type JsonObject } from './loose-json.js';
import { malformedResponse, throwIfErrorBody } from './response.js';
import type { VendorEntry } from './vendors.js';

/**
 * Legacy `/completions` (CATALOG.md §1): relayed in OpenAI's shape. The adapter rewrites the
 * model, asks for stream usage like chat does, applies the vendor's drops, and validates the reply;
 * streams are decoded chunk by chunk (completion-stream.ts).
 */
export function createCompletionCodec(vendor: VendorEntry, path: string): CompletionCodec {
  return {
    build(req, target, opts) {
      const body: JsonObject = { ...req.extra, model: target.upstreamModel, prompt: req.prompt };
      if (opts.stream) {
        body.stream = true;
        if (vendor.requestStreamUsage) body.stream_options = { ...asObject(req.stream_options), include_usage: true };
        else if (req.stream_options) body.stream_options = req.stream_options;
      }
      for (const param of vendor.dropParams) delete body[param];
      return postJson(vendor, target, path, body, opts.stream);
    },
    parse(json) {
      const body = asObject(json);
      if (!body) throw malformedResponse('Upstream returned a completion that is not a JSON object.');
      throwIfErrorBody(body, vendor);
      if (!asArray(body.choices)) throw malformedResponse('Upstream returned a completion without choices.');
      return { ...body };
    },
    decoder: () => createCompletionStreamDecoder(vendor),
  };
}
