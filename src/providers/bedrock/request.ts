import type { ChatRequest } from '../../protocol/chat.js';
import { unsupported } from '../../protocol/errors.js';
import type { HttpRequestSpec, RequestSigner, UpstreamTarget } from '../adapter.js';
import { mergeHeaders } from '../merge-headers.js';
import { maxTokensWithThinking, nativeThinkingBudget, thinkingFromEffort, type EffortThinking } from '../thinking-budget.js';
import { refuseUnsupportedParams } from '../unsupported-params.js';
import { convertMessages } from './messages.js';
import { convertToolConfig } from './tools.js';

/** Top-level Converse fields with no OpenAI counterpart (CATALOG.md §5), sent as given from `extra`. */
const PASSTHROUGH_EXTRA = [
  'guardrailConfig',
  'additionalModelResponseFieldPaths',
  'requestMetadata',
  'performanceConfig',
  'promptVariables',
] as const;

export interface BuildDeps {
  /** The signer of a SigV4 provider; undefined for a Bedrock API key (Bearer). */
  signerFor(target: UpstreamTarget): RequestSigner | undefined;
}

export function buildBedrockRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }, deps: BuildDeps): HttpRequestSpec {
  const body = buildConverseBody(req, target.upstreamModel);
  return opts.stream
    ? bedrockPost(target, 'converse-stream', body, 'application/vnd.amazon.eventstream', deps)
    : bedrockPost(target, 'converse', body, 'application/json', deps);
}

/**
 * `POST ${base}/model/{modelId}/{operation}` with the provider's auth, for every Bedrock runtime
 * call (Converse, ConverseStream, InvokeModel): a Bedrock API key as Bearer, or the SigV4 `sign`
 * hook (§5). The id is one path segment (ARNs hold `/` and `:`).
 */
export function bedrockPost(target: UpstreamTarget, operation: string, body: unknown, accept: string, deps: BuildDeps): HttpRequestSpec {
  const base = target.provider.base_url.replace(/\/+$/, '');
  return bedrockPostTo(target, `${base}/model/${encodeModelId(target.upstreamModel)}/${operation}`, body, accept, deps);
}

/**
 * `POST url` with the provider's auth (Bearer key or the SigV4 hook). Shared by the runtime calls
 * above and the agent runtime's Rerank (rerank.ts), which lives on another host but takes the
 * same credentials: its SigV4 signing name is `bedrock` too.
 */
export function bedrockPostTo(target: UpstreamTarget, url: string, body: unknown, accept: string, deps: BuildDeps): HttpRequestSpec {
  const { provider } = target;
  const spec: HttpRequestSpec = {
    method: 'POST',
    url,
    headers: mergeHeaders(
      { 'content-type': 'application/json', accept },
      provider.headers,
      // §5: a Bedrock API key is a plain bearer token; SigV4 providers carry none.
      provider.api_key && !provider.aws_credentials ? { authorization: `Bearer ${provider.api_key}` } : undefined,
    ),
    body: JSON.stringify(body),
  };
  const sign = deps.signerFor(target);
  if (sign) spec.sign = sign;
  return spec;
}

/** AWS's label encoding: encodeURIComponent plus the five characters it leaves alone. */
function encodeModelId(modelId: string): string {
  return encodeURIComponent(modelId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The body is the same for both operations; streaming is chosen by the URL, and the model by
 * the path. `user` is not sent: Converse has no end-user field, and the field only attributes
 * abuse, it does not shape the answer. Every `extra` field that is not a top-level Converse
 * field is a model-specific one and goes into `additionalModelRequestFields` (§5: Claude
 * `thinking`, `top_k`), merged with an explicit `extra.additionalModelRequestFields`.
 */
export function buildConverseBody(req: ChatRequest, model: string): Record<string, unknown> {
  // JSON mode has no Converse form: refuse rather than answer in prose.
  refuseUnsupportedParams(req, ['n', 'response_format', 'logprobs', 'top_logprobs', 'logit_bias', 'seed', 'presence_penalty', 'frequency_penalty']);
  const { system, messages } = convertMessages(req.messages);
  const modelFields = additionalModelRequestFields(req);
  const effortThinking = effortThinkingFor(req, model, modelFields.thinking);
  if (effortThinking) modelFields.thinking = effortThinking;

  const body: Record<string, unknown> = { messages };
  if (system) body.system = system;
  const inferenceConfig = buildInferenceConfig(req, effortThinking, modelFields.thinking);
  if (inferenceConfig) body.inferenceConfig = inferenceConfig;
  const toolConfig = convertToolConfig(req);
  if (toolConfig) body.toolConfig = toolConfig;
  if (Object.keys(modelFields).length > 0) body.additionalModelRequestFields = modelFields;
  for (const key of PASSTHROUGH_EXTRA) {
    if (req.extra[key] !== undefined) body[key] = req.extra[key];
  }
  return body;
}

function additionalModelRequestFields(req: ChatRequest): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.extra)) {
    if (key === 'additionalModelRequestFields' || (PASSTHROUGH_EXTRA as readonly string[]).includes(key)) continue;
    fields[key] = value;
  }
  const explicit = req.extra.additionalModelRequestFields;
  if (typeof explicit === 'object' && explicit !== null && !Array.isArray(explicit)) Object.assign(fields, explicit);
  return fields;
}

/**
 * `reasoning_effort` becomes Claude's `thinking` budget (thinking-budget.ts), as on the Anthropic
 * route. Other Bedrock models each name reasoning their own way (§5 lists none), so there the
 * effort is refused and the caller passes the model's own field, which lands in
 * `additionalModelRequestFields`.
 */
function effortThinkingFor(req: ChatRequest, model: string, nativeThinking: unknown): EffortThinking | undefined {
  if (req.reasoning_effort === undefined || req.reasoning_effort === 'none') return undefined;
  if (!/anthropic\.claude/i.test(model)) {
    throw unsupported(
      "reasoning_effort is supported here only for Claude models; pass the model's own reasoning field as an extra request field.",
      'reasoning_effort',
    );
  }
  return thinkingFromEffort(req, nativeThinking);
}

/**
 * `maxTokens` is optional on Converse and is sent only when the caller set it, or when thinking
 * is on: Claude's limit must then exceed the thinking budget, and the shared rule picks one.
 */
function buildInferenceConfig(req: ChatRequest, effort: EffortThinking | undefined, thinking: unknown): Record<string, unknown> | undefined {
  const config: Record<string, unknown> = {};
  const given = req.max_completion_tokens ?? req.max_tokens;
  if (given != null || effort !== undefined || nativeThinkingBudget(thinking) > 0) {
    config.maxTokens = maxTokensWithThinking(req, effort?.budget_tokens, effort ? undefined : thinking);
  }
  if (req.temperature != null) config.temperature = req.temperature;
  if (req.top_p != null) config.topP = req.top_p;
  if (req.stop != null) config.stopSequences = typeof req.stop === 'string' ? [req.stop] : req.stop;
  return Object.keys(config).length > 0 ? config : undefined;
}
