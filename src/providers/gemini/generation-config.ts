import type { ChatRequest } from '../../protocol/chat.js';
import { invalidRequest } from '../../protocol/errors.js';

/**
 * OpenAI sampling fields → Gemini `generationConfig` (CATALOG.md §4.1), plus the Gemini fields a
 * caller may set through `extra`: `top_k` (the cross-provider name, as for Anthropic) → `topK`,
 * and `thinkingConfig` / `responseModalities`, sent as given. Returns undefined when nothing is
 * set, so the body carries no empty object.
 */
export function buildGenerationConfig(req: ChatRequest, model: string): Record<string, unknown> | undefined {
  const config: Record<string, unknown> = {};
  if (req.temperature != null) config.temperature = req.temperature;
  if (req.top_p != null) config.topP = req.top_p;
  if (req.extra.top_k !== undefined) config.topK = req.extra.top_k;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens != null) config.maxOutputTokens = maxTokens;
  if (req.stop != null) config.stopSequences = typeof req.stop === 'string' ? [req.stop] : req.stop;
  if (req.n != null) config.candidateCount = req.n;
  if (req.seed != null) config.seed = req.seed;
  if (req.presence_penalty != null) config.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty != null) config.frequencyPenalty = req.frequency_penalty;
  const format = req.response_format;
  if (format?.type === 'json_object' || format?.type === 'json_schema') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema' && format.json_schema.schema) config.responseJsonSchema = format.json_schema.schema;
  if (req.extra.responseModalities !== undefined) config.responseModalities = req.extra.responseModalities;
  const thinking = thinkingConfig(req, model);
  if (thinking) config.thinkingConfig = thinking;
  return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * `reasoning_effort` → `thinkingConfig` (§4.1). The two Gemini generations take different knobs,
 * and sending both is a 400, so the model id picks one:
 *  - Gemini 1.x/2.x (`gemini-2.5-*`): `thinkingBudget` tokens, per GEMINI_2_BUDGETS. `none` is 0,
 *    which disables thinking on Flash/Flash-Lite (2.5 Pro cannot, and says so with a 400);
 *    `high` is Flash's maximum budget.
 *  - anything else (Gemini 3+): `thinkingLevel` takes the effort name itself (`minimal|low|medium|
 *    high`; Pro accepts only low/high and answers others with a 400). There is no off switch, so
 *    `none` is refused here.
 * `includeThoughts` asks for thought summaries, so reasoning text reaches `reasoning_content` as
 * it does for other reasoning providers. `extra.thinkingConfig` is the native override; setting
 * both is refused as ambiguous.
 */
export const GEMINI_2_BUDGETS: ReadonlyMap<string, number> = new Map([
  ['none', 0],
  ['minimal', 512],
  ['low', 1024],
  ['medium', 8192],
  ['high', 24576],
]);
const GEMINI_3_LEVELS: ReadonlySet<string> = new Set(['minimal', 'low', 'medium', 'high']);

function thinkingConfig(req: ChatRequest, model: string): unknown {
  const effort = req.reasoning_effort;
  if (effort === undefined) return req.extra.thinkingConfig;
  if (req.extra.thinkingConfig !== undefined) {
    throw invalidRequest('Set either reasoning_effort or thinkingConfig, not both.', 'reasoning_effort');
  }
  if (/(^|\/)gemini-[12]\./.test(model)) {
    const budget = GEMINI_2_BUDGETS.get(effort);
    if (budget === undefined) throw unknownEffort(effort, [...GEMINI_2_BUDGETS.keys()]);
    return budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
  }
  if (!GEMINI_3_LEVELS.has(effort)) throw unknownEffort(effort, [...GEMINI_3_LEVELS]);
  return { thinkingLevel: effort, includeThoughts: true };
}

function unknownEffort(effort: string, known: string[]) {
  return invalidRequest(`reasoning_effort '${effort}' is not supported by this model; use one of ${known.join(', ')}.`, 'reasoning_effort');
}
