import { z } from 'zod';
import type { PriceConfig } from '../config/index.js';
import type { Usage } from '../protocol/chat.js';
import { priceOf, tokensOf, type TokenCounts } from './price.js';
import type { UsageEventsTable } from './tables.js';

/**
 * One usage event per upstream attempt (DESIGN.md §3). Its id is `${requestId}:${attempt}`, so
 * writing the same event twice — a journal replay after a crash — stores it once.
 */
export interface UsageEvent {
  id: string;
  requestId: string;
  attempt: number;
  /** Attempt start, ms since epoch (UTC). */
  ts: number;
  orgId: string | null;
  keyId: string | null;
  appId: string | null;
  endpoint: string;
  model: string;
  deploymentId: string;
  provider: string;
  stream: boolean;
  status: number;
  errorCode: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** The upstream reported no usage: the token counts are an estimate, never a silent 0. */
  usageEstimated: boolean;
  /** Null when the model is unpriced (unknown is not zero). */
  cost: number | null;
  currency: string;
  latencyMs: number;
  ttftMs: number | null;
}

/**
 * What metering needs from an attempt. The router's `AttemptRecord` is assignable to it; the
 * tenant is absent for the operator's own calls.
 */
export interface MeteredAttempt {
  requestId: string;
  attempt: number;
  endpoint: string;
  model: string;
  deploymentId: string;
  provider: string;
  stream: boolean;
  startedAt: number;
  latencyMs: number;
  ttftMs?: number;
  status: number;
  errorCode?: string;
  usage?: Usage;
  /** `usage` is an adapter's estimate (the upstream reported none): recorded, but flagged. */
  usageEstimated?: boolean;
  tenant?: { orgId: string; keyId?: string };
}

/** Token estimate for an attempt whose upstream reported no usage (the caller owns the tokenizer). */
export type EstimateUsage = (attempt: MeteredAttempt) => { inputTokens: number; outputTokens: number };

export interface BuildUsageEventOptions {
  /** The price that applies (deployment override, else the model's); undefined = unpriced. */
  price: PriceConfig | undefined;
  currency: string;
  appId?: string | null;
  /**
   * Called only when `attempt.usage` is absent. Without it such an attempt is recorded with 0
   * tokens but still flagged `usageEstimated`, so reports show the gap instead of hiding it.
   */
  estimate?: EstimateUsage;
}

export function usageEventId(requestId: string, attempt: number): string {
  return `${requestId}:${attempt}`;
}

/** Turn a finished attempt into its usage event, priced in the billing currency. */
export function buildUsageEvent(attempt: MeteredAttempt, opts: BuildUsageEventOptions): UsageEvent {
  let tokens: TokenCounts;
  let usageEstimated = false;
  if (attempt.usage) {
    tokens = tokensOf(attempt.usage);
    usageEstimated = attempt.usageEstimated === true;
  } else {
    usageEstimated = true;
    const guess = opts.estimate?.(attempt) ?? { inputTokens: 0, outputTokens: 0 };
    tokens = { inputTokens: wholeTokens(guess.inputTokens), outputTokens: wholeTokens(guess.outputTokens), cachedTokens: 0, reasoningTokens: 0 };
  }
  const { cost, unpriced } = priceOf(opts.price, tokens);
  return {
    id: usageEventId(attempt.requestId, attempt.attempt),
    requestId: attempt.requestId,
    attempt: attempt.attempt,
    ts: attempt.startedAt,
    orgId: attempt.tenant?.orgId ?? null,
    keyId: attempt.tenant?.keyId ?? null,
    appId: opts.appId ?? null,
    endpoint: attempt.endpoint,
    model: attempt.model,
    deploymentId: attempt.deploymentId,
    provider: attempt.provider,
    stream: attempt.stream,
    status: attempt.status,
    errorCode: attempt.errorCode ?? null,
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    cachedTokens: tokens.cachedTokens,
    reasoningTokens: tokens.reasoningTokens,
    usageEstimated,
    cost: unpriced ? null : cost,
    currency: opts.currency,
    latencyMs: Math.max(0, Math.round(attempt.latencyMs)),
    ttftMs: attempt.ttftMs === undefined ? null : Math.max(0, Math.round(attempt.ttftMs)),
  };
}

const count = z.number().int().nonnegative();
const nullableText = z.string().nullable();

/** Shape check for a journal line read back at recovery: the journal file is an input edge too. */
export const usageEventSchema = z.object({
  id: z.string().min(1),
  requestId: z.string().min(1),
  attempt: z.number().int(),
  ts: z.number().int(),
  orgId: nullableText,
  keyId: nullableText,
  appId: nullableText,
  endpoint: z.string(),
  model: z.string(),
  deploymentId: z.string(),
  provider: z.string(),
  stream: z.boolean(),
  status: z.number().int(),
  errorCode: nullableText,
  inputTokens: count,
  outputTokens: count,
  cachedTokens: count,
  reasoningTokens: count,
  usageEstimated: z.boolean(),
  cost: z.number().nullable(),
  currency: z.string(),
  latencyMs: count,
  ttftMs: count.nullable(),
}) satisfies z.ZodType<UsageEvent>;

export function usageEventRow(e: UsageEvent): UsageEventsTable {
  return {
    id: e.id,
    request_id: e.requestId,
    attempt: e.attempt,
    ts: e.ts,
    org_id: e.orgId,
    key_id: e.keyId,
    app_id: e.appId,
    endpoint: e.endpoint,
    model: e.model,
    deployment_id: e.deploymentId,
    provider: e.provider,
    stream: e.stream ? 1 : 0,
    status: e.status,
    error_code: e.errorCode,
    input_tokens: e.inputTokens,
    output_tokens: e.outputTokens,
    cached_tokens: e.cachedTokens,
    reasoning_tokens: e.reasoningTokens,
    usage_estimated: e.usageEstimated ? 1 : 0,
    cost: e.cost,
    currency: e.currency,
    latency_ms: e.latencyMs,
    ttft_ms: e.ttftMs,
  };
}

function wholeTokens(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}
