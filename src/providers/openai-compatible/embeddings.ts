import type { EmbeddingsResponse } from '../../protocol/chat.js';
import type { EmbeddingsCodec } from '../adapter.js';
import { postJson } from './endpoint.js';
import { asArray, asNumber, asObject, asString, type JsonObject } from './loose-json.js';
import { malformedResponse, throwIfErrorBody } from './response.js';
import { maxEmbeddingInputsOf, type VendorEntry } from './vendors.js';

/**
 * OAI embeddings (CATALOG.md §1.7). Upstream is always asked for floats, whatever the client's
 * `encoding_format`: the canonical response carries numbers, and the server encodes base64 for
 * clients that asked for it. One wire format upstream keeps vendors that lack base64 working.
 * Batch limits (DashScope ≤10, Qianfan ≤16, §6.5/§7.1) are table data (`maxEmbeddingInputs`): the
 * codec declares them as `maxInputs`, so the gateway sends a longer list in chunks instead of
 * earning the vendor's 400, and callers that batch (knowledge ingestion) read them too.
 */
export function createEmbeddingsCodec(vendor: VendorEntry, path: string): EmbeddingsCodec {
  return {
    maxInputs: (target) => maxEmbeddingInputsOf(vendor, target.upstreamModel),
    build(req, target) {
      const body: JsonObject = { ...req.extra, model: target.upstreamModel, input: req.input, encoding_format: 'float' };
      if (req.dimensions !== undefined) body.dimensions = req.dimensions;
      if (req.user !== undefined) body.user = req.user;
      for (const param of vendor.dropParams) delete body[param];
      return postJson(vendor, target, path, body);
    },
    parse(json) {
      const body = asObject(json);
      if (!body) throw malformedResponse('Upstream returned an embeddings response that is not a JSON object.');
      throwIfErrorBody(body, vendor);
      const data = asArray(body.data);
      if (!data) throw malformedResponse('Upstream returned an embeddings response without data.');
      const usage = asObject(body.usage);
      const prompt = asNumber(usage?.prompt_tokens) ?? asNumber(usage?.total_tokens) ?? 0;
      const response: EmbeddingsResponse = {
        object: 'list',
        data: data
          .map((item, position) => {
            const entry = asObject(item) ?? {};
            return { object: 'embedding' as const, index: asNumber(entry.index) ?? position, embedding: vectorOf(entry.embedding) };
          })
          .sort((a, b) => a.index - b.index),
        model: asString(body.model) ?? '',
        usage: { prompt_tokens: prompt, total_tokens: asNumber(usage?.total_tokens) ?? prompt },
      };
      return response;
    },
  };
}

/** A float vector; base64 (little-endian float32, §1.7) from a vendor that ignored `encoding_format` is decoded. */
function vectorOf(value: unknown): number[] {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
    return Array.from(floats);
  }
  const numbers = (asArray(value) ?? []).map((n) => asNumber(n));
  if (numbers.some((n) => n === undefined)) throw malformedResponse('Upstream returned an embedding that is not a list of numbers.');
  return numbers as number[];
}
