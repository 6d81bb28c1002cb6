import type { ChatRequest } from '../../protocol/chat.js';
import type { HttpRequestSpec, UpstreamTarget } from '../adapter.js';
import { mergeHeaders } from '../merge-headers.js';
import { refuseUnsupportedParams } from '../unsupported-params.js';
import { convertContents } from './contents.js';
import { buildGenerationConfig } from './generation-config.js';
import { convertToolConfig, convertTools } from './tools.js';

/** CATALOG.md §4.1. */
const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

/** Top-level `extra` fields that are Gemini request fields with no OpenAI counterpart (§4.1). */
const PASSTHROUGH_EXTRA = ['safetySettings', 'cachedContent'] as const;

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents';

/**
 * `${base}/models/${model}:${method}`. Streaming always asks for `alt=sse`: without it the stream
 * is one long JSON array (§4.1). A model id written with its `models/` prefix is accepted.
 */
export function geminiUrl(baseUrl: string | undefined, model: string, method: GeminiMethod): string {
  const base = (baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const id = encodeURIComponent(model.replace(/^models\//, ''));
  return `${base}/models/${id}:${method}${method === 'streamGenerateContent' ? '?alt=sse' : ''}`;
}

export function geminiHeaders(target: UpstreamTarget): Record<string, string> {
  return mergeHeaders({ 'content-type': 'application/json' }, target.provider.headers, {
    'x-goog-api-key': target.provider.api_key,
  });
}

export function buildGeminiRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): HttpRequestSpec {
  return {
    method: 'POST',
    url: geminiUrl(target.provider.base_url, target.upstreamModel, opts.stream ? 'streamGenerateContent' : 'generateContent'),
    headers: geminiHeaders(target),
    body: JSON.stringify(buildGeminiBody(req, target.upstreamModel)),
  };
}

/**
 * The body is the same for both methods; streaming is chosen by the URL. `user` is not sent:
 * Gemini has no end-user field, and the field only attributes abuse, it does not shape the answer.
 */
export function buildGeminiBody(req: ChatRequest, model: string): Record<string, unknown> {
  refuseUnsupportedParams(req, ['logprobs', 'top_logprobs', 'logit_bias']);
  const { systemInstruction, contents } = convertContents(req.messages);
  const body: Record<string, unknown> = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const tools = convertTools(req.tools);
  if (tools) body.tools = tools;
  const toolConfig = convertToolConfig(req);
  if (toolConfig) body.toolConfig = toolConfig;
  const generationConfig = buildGenerationConfig(req, model);
  if (generationConfig) body.generationConfig = generationConfig;
  for (const key of PASSTHROUGH_EXTRA) {
    if (req.extra[key] !== undefined) body[key] = req.extra[key];
  }
  return body;
}
