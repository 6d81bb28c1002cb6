import type { ChatRequest } from '../protocol/chat.js';
import { invalidRequest } from '../protocol/errors.js';

/**
 * Claude's extended thinking as OpenAI's `reasoning_effort`, shared by the two routes to Claude:
 * Anthropic Messages (`thinking`, CATALOG.md §3) and Bedrock Converse, where the same object rides
 * in `additionalModelRequestFields.thinking` (§5).
 */

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

export interface EffortThinking {
  type: 'enabled';
  budget_tokens: number;
}

/** `nativeThinking`: the caller's own `thinking` object, if any; setting both is ambiguous and refused. */
export function thinkingFromEffort(req: ChatRequest, nativeThinking: unknown): EffortThinking | undefined {
  const effort = req.reasoning_effort;
  if (effort === undefined || effort === 'none') return undefined;
  if (nativeThinking !== undefined) {
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
 * Claude's `max_tokens` counts thinking too, like OpenAI's `max_completion_tokens` counts
 * reasoning, so a caller's limit is sent unchanged; it must exceed the thinking budget (§3), and a
 * limit that cannot is refused naming the field that made the budget. Without a caller limit the
 * default leaves DEFAULT_MAX_TOKENS for the answer on top of whatever budget is in force.
 */
export function maxTokensWithThinking(req: ChatRequest, effortBudget: number | undefined, nativeThinking: unknown): number {
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
  return DEFAULT_MAX_TOKENS + (effortBudget ?? nativeThinkingBudget(nativeThinking));
}

/** The budget of a caller's own `thinking` object; 0 when it has none (disabled, adaptive). */
export function nativeThinkingBudget(thinking: unknown): number {
  const budget = (thinking as { budget_tokens?: unknown } | undefined)?.budget_tokens;
  return typeof budget === 'number' ? budget : 0;
}
