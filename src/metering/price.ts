import type { PriceConfig } from '../config/index.js';
import type { Usage } from '../protocol/chat.js';

/**
 * Token counts as metering keeps them. `inputTokens` includes `cachedTokens` and `outputTokens`
 * includes `reasoningTokens` — the OpenAI convention — so the parts are priced apart without
 * being counted twice.
 */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** Input tokens written to a prompt cache (part of `inputTokens`); 0 where the upstream reports none. */
  cacheWriteTokens?: number;
  reasoningTokens: number;
}

export interface PriceResult {
  /** In the billing currency, rounded to 1e-9. 0 when `unpriced`: check the flag, not the number. */
  cost: number;
  /** The model has no price: the cost is unknown, not free. */
  unpriced: boolean;
}

/** OpenAI-shaped usage → token counts; detail fields an upstream omitted count as none of that kind. */
export function tokensOf(usage: Usage): TokenCounts {
  return {
    inputTokens: nonNegative(usage.prompt_tokens),
    outputTokens: nonNegative(usage.completion_tokens),
    cachedTokens: nonNegative(usage.prompt_tokens_details?.cached_tokens),
    cacheWriteTokens: nonNegative(usage.prompt_tokens_details?.cache_creation_tokens as number | undefined),
    reasoningTokens: nonNegative(usage.completion_tokens_details?.reasoning_tokens),
  };
}

/**
 * The cost of one attempt, prices per 1M tokens. Cached input is billed at `cached_input` (else
 * `input`), input written to a prompt cache at `cache_write` (else `input`). Output is billed at
 * `output`, except that a call that thought (reported reasoning tokens) on a model with a
 * `reasoning` price bills ALL its output at that price: vendors that price thinking apart price
 * the thinking *mode* (DashScope qwen-plus: $4.00 thinking vs $1.20 per 1M output, CATALOG.md
 * Appendix D), not the thinking tokens alone.
 *
 * Each part is computed in integer nano-units (1e-9 of the currency) and summed exactly, so the
 * result has no binary-float residue (0.1 × 3 stays 0.3): `priceOf({input: 0.3, output: 1.2},
 * {inputTokens: 1000, …})` → `{cost: 0.0003, unpriced: false}`.
 */
export function priceOf(config: PriceConfig | undefined, usage: TokenCounts): PriceResult {
  if (!config) return { cost: 0, unpriced: true };
  const price = priceForInput(config, usage.inputTokens);
  // Inconsistent upstream details (more cached than prompt tokens) must not make a part negative.
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const written = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cached);
  const thinkingRate = price.reasoning !== undefined && usage.reasoningTokens > 0;
  const nanos =
    nanosFor(usage.inputTokens - cached - written, price.input) +
    nanosFor(cached, price.cached_input ?? price.input) +
    nanosFor(written, price.cache_write ?? price.input) +
    nanosFor(usage.outputTokens, thinkingRate ? price.reasoning! : price.output);
  return { cost: nanos / 1e9, unpriced: false };
}

/**
 * The prices that apply to a request of `inputTokens` (all of its prompt, cached included): the
 * last tier whose `above_input_tokens` it exceeds, else the base prices. Tiers are validated
 * ascending at config load.
 */
export function priceForInput(price: PriceConfig, inputTokens: number): Omit<PriceConfig, 'tiers'> {
  let applies: Omit<PriceConfig, 'tiers'> = price;
  for (const tier of price.tiers ?? []) if (inputTokens > tier.above_input_tokens) applies = tier;
  return applies;
}

/** Round a money amount (e.g. a database sum of many rounded costs) back to 1e-9. */
export function roundCost(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** tokens × (price per 1M tokens) in units of 1e-9: tokens × price × 1e9 / 1e6. */
function nanosFor(tokens: number, pricePerMillion: number): number {
  if (tokens <= 0 || pricePerMillion === 0) return 0;
  return Math.round(tokens * pricePerMillion * 1000);
}

function nonNegative(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
