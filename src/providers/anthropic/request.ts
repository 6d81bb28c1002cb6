import type { ChatRequest } from '../../protocol/chat.js';
import type { HttpRequestSpec, UpstreamTarget } from '../adapter.js';
import { mergeHeaders } from '../merge-headers.js';
import { refuseUnsupportedParams } from '../unsupported-params.js';
import { maxTokensWithThinking, thinkingFromEffort } from '../thinking-budget.js';
import { convertMessages } from './messages.js';
import { convertToolChoice, convertTools } from './tools.js';

/** CATALOG.md §3. */
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const ANTHROPIC_VERSION = '2023-06-01';

export { DEFAULT_MAX_TOKENS, THINKING_BUDGETS } from '../thinking-budget.js';

/** `extra` fields that are Anthropic request fields with no OpenAI counterpart (§3), sent as given. */
const PASSTHROUGH_EXTRA = ['top_k', 'thinking', 'output_config'] as const;

export function buildAnthropicRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): HttpRequestSpec {
  const { provider } = target;
  return {
    method: 'POST',
    url: messagesUrl(provider.base_url),
    headers: anthropicHeaders(provider),
    body: JSON.stringify(buildAnthropicBody(req, target.upstreamModel, opts.stream)),
  };
}

/** §3: the key in `x-api-key` (it wins over any configured header) and the API version. */
export function anthropicHeaders(provider: UpstreamTarget['provider']): Record<string, string> {
  return mergeHeaders(
    { 'content-type': 'application/json', 'anthropic-version': ANTHROPIC_VERSION },
    provider.headers,
    { 'x-api-key': provider.api_key },
  );
}

/** Operators write the base either as the host or with `/v1` (as OpenAI-style bases are written). */
export function messagesUrl(baseUrl: string | undefined): string {
  const base = (baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

export function buildAnthropicBody(req: ChatRequest, model: string, stream: boolean): Record<string, unknown> {
  // JSON mode has no native form on Messages (§3): refuse rather than answer in prose.
  refuseUnsupportedParams(req, [
    'n',
    'response_format',
    'logprobs',
    'top_logprobs',
    'logit_bias',
    'seed',
    'presence_penalty',
    'frequency_penalty',
  ]);
  const { system, messages } = convertMessages(req.messages);
  const effortThinking = thinkingFromEffort(req, req.extra.thinking);
  const body: Record<string, unknown> = { model, max_tokens: maxTokensWithThinking(req, effortThinking?.budget_tokens, req.extra.thinking) };
  if (system !== undefined) body.system = system;
  body.messages = messages;
  if (req.temperature != null) body.temperature = req.temperature;
  if (req.top_p != null) body.top_p = req.top_p;
  if (req.stop != null) body.stop_sequences = typeof req.stop === 'string' ? [req.stop] : req.stop;
  const tools = convertTools(req.tools);
  if (tools) body.tools = tools;
  const toolChoice = convertToolChoice(req);
  if (toolChoice) body.tool_choice = toolChoice;
  if (req.user) body.metadata = { user_id: req.user };
  for (const key of PASSTHROUGH_EXTRA) {
    if (req.extra[key] !== undefined) body[key] = req.extra[key];
  }
  if (effortThinking) body.thinking = effortThinking;
  if (stream) body.stream = true;
  return body;
}
