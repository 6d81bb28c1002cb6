import type { ChatRequest } from '../../protocol/chat.js';
import { invalidRequest } from '../../protocol/errors.js';
import type { HttpRequestSpec, UpstreamTarget } from '../adapter.js';
import { mergeHeaders } from '../merge-headers.js';
import { refuseUnsupportedParams } from '../unsupported-params.js';
import { convertMessages } from './messages.js';
import { convertToolChoice, convertTools } from './tools.js';

/** CATALOG.md §3. */
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Anthropic requires `max_tokens` (§3) while OpenAI clients usually omit it. 4096 is far below
 * every listed model's output limit (32k–128k, §3 table), so no model refuses it, and enough for
 * an ordinary answer; a caller who wants more says so with `max_completion_tokens`. It is a
 * default for an absent field, not a rewrite: a caller's value is always sent as given.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * `reasoning_effort` → `thinking: {type:"enabled", budget_tokens}`. 1024 is Anthropic's minimum
 * budget (§3); each step up roughly quadruples it, which keeps `high` well inside every current
 * model's output limit (≥ 32k, §3 table). `none` sends no `thinking` (thinking is off by default).
 * Opus 4.7+ accept only adaptive thinking (§3): callers of those pass `extra.thinking` and
 * `extra.output_config` themselves, and `reasoning_effort` gets the upstream's 400.
 */
export const THINKING_BUDGETS: ReadonlyMap<string, number> = new Map([
  ['minimal', 1024],
  ['low', 2048],
  ['medium', 8192],
  ['high', 16384],
]);

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
  const effortThinking = thinkingFromEffort(req);
  const body: Record<string, unknown> = { model, max_tokens: maxTokens(req, effortThinking?.budget_tokens) };
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

function thinkingFromEffort(req: ChatRequest): { type: 'enabled'; budget_tokens: number } | undefined {
  const effort = req.reasoning_effort;
  if (effort === undefined || effort === 'none') return undefined;
  if (req.extra.thinking !== undefined) {
    throw invalidRequest('Set either reasoning_effort or thinking, not both.', 'reasoning_effort');
  }
  const budget = THINKING_BUDGETS.get(effort);
  if (budget === undefined) {
    const known = ['none', ...THINKING_BUDGETS.keys()].join(', ');
    throw invalidRequest(`reasoning_effort '${effort}' is not supported by this model; use one of ${known}.`, 'reasoning_effort');
  }
  return { type: 'enabled', budget_tokens: budget };
}

/**
 * Anthropic's `max_tokens` counts thinking too, like OpenAI's `max_completion_tokens` counts
 * reasoning, so a caller's limit is sent unchanged; it must exceed the thinking budget (§3), and a
 * limit that cannot is refused naming the field that made the budget. Without a caller limit the
 * default leaves DEFAULT_MAX_TOKENS for the answer on top of whatever budget is in force.
 */
function maxTokens(req: ChatRequest, effortBudget: number | undefined): number {
  const given = req.max_completion_tokens ?? req.max_tokens;
  if (given != null) {
    if (effortBudget !== undefined && given <= effortBudget) {
      throw invalidRequest(
        `reasoning_effort '${req.reasoning_effort}' needs a thinking budget of ${effortBudget} tokens, ` +
          `so max_completion_tokens must be greater than ${effortBudget} (got ${given}).`,
        'reasoning_effort',
      );
    }
    return given;
  }
  return DEFAULT_MAX_TOKENS + (effortBudget ?? extraThinkingBudget(req.extra.thinking));
}

function extraThinkingBudget(thinking: unknown): number {
  const budget = (thinking as { budget_tokens?: unknown } | undefined)?.budget_tokens;
  return typeof budget === 'number' ? budget : 0;
}
