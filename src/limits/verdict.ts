import { BaimoError } from '../protocol/errors.js';
import { rateLimitHeaders, formatResetDuration, type Gauge } from './rate-limit-headers.js';
import { fromMicro, type ScopeSpec } from './scope-spec.js';
import { remaining, resetMs, waitMs, WINDOW_MS } from './token-bucket.js';

/** Why a scope refused; both backends report the same bits (the Redis script returns them as an integer). */
export const REFUSED = { budget: 1, tooLarge: 2, concurrency: 4, requests: 8, tokens: 16 } as const;

/**
 * What a backend read for one scope while deciding: the refusal bits, plus the state the
 * headers and messages are computed from (after the commit when admitted, before it when refused).
 */
export interface ScopeReading {
  refused: number;
  requestsDebt: number;
  tokensDebt: number;
  spentMicro: number | undefined;
  reservedMicro: number;
  inFlight: number;
}

export interface ScopeVerdict {
  spec: ScopeSpec;
  reading: ScopeReading;
  requests?: Gauge;
  tokens?: Gauge;
}

export function toVerdict(spec: ScopeSpec, reading: ScopeReading): ScopeVerdict {
  const gauge = (limit: number | undefined, debt: number): Gauge | undefined =>
    limit === undefined ? undefined : { limit, remaining: remaining(debt, limit), resetMs: resetMs(debt, limit) };
  return { spec, reading, requests: gauge(spec.rpm, reading.requestsDebt), tokens: gauge(spec.tpm, reading.tokensDebt) };
}

const has = (v: ScopeVerdict, bit: number) => (v.reading.refused & bit) !== 0;
const used = (debt: number) => Math.ceil(debt / WINDOW_MS);
const money = (micro: number) => String(fromMicro(micro));

/**
 * The one error for a refused admission, or undefined when every scope admitted. Precedence:
 * an exhausted budget and an estimate larger than a TPM limit cannot be cured by waiting, so they
 * win; otherwise the longest wait over every rate refusal becomes `retry-after`, so a client that
 * honours it finds every scope ready at once.
 */
export function refusalError(
  verdicts: ScopeVerdict[],
  est: { tokens: number; costMicro: number },
  concurrencyRetryAfterMs: number,
  now: number,
): BaimoError | undefined {
  if (!verdicts.some((v) => v.reading.refused !== 0)) return undefined;
  const headers = rateLimitHeaders(verdicts);

  const broke = verdicts.find((v) => has(v, REFUSED.budget));
  if (broke) {
    const { spec, reading } = broke;
    // A period's budget comes back when the period ends: say when. Still not retryable
    // (x-should-retry: false), so SDKs do not sleep for weeks on their own.
    const resetsAt = spec.budgetResetsAt;
    const resets = resetsAt === undefined ? '' : ` The budget resets at ${new Date(resetsAt).toISOString()}.`;
    return new BaimoError(
      'budget',
      `Budget exceeded for ${spec.id}: budget ${spec.budget}, spent ${money(reading.spentMicro ?? 0)}, ` +
        `reserved by requests in flight ${money(reading.reservedMicro)}, this request may cost up to ${money(est.costMicro)}.${resets}`,
      {
        status: 429,
        code: 'budget_exceeded',
        type: 'insufficient_quota',
        retryable: false,
        retryAfter: resetsAt === undefined ? undefined : Math.max(0, resetsAt - now) / 1000,
        headers,
      },
    );
  }

  const huge = verdicts.find((v) => has(v, REFUSED.tooLarge));
  if (huge) {
    return new BaimoError(
      'rate_limit',
      `Request too large for ${huge.spec.id} on tokens per min (TPM): Limit ${huge.spec.tpm}, Requested ${est.tokens}. ` +
        'The input or output tokens must be reduced in order to run successfully.',
      { status: 429, code: 'rate_limit_exceeded', type: 'tokens', retryable: false, headers },
    );
  }

  let worst: { verdict: ScopeVerdict; kind: 'requests' | 'tokens'; wait: number } | undefined;
  for (const v of verdicts) {
    const { spec, reading } = v;
    if (has(v, REFUSED.requests) && spec.rpm !== undefined) {
      const wait = waitMs(reading.requestsDebt, 1, spec.rpm);
      if (!worst || wait > worst.wait) worst = { verdict: v, kind: 'requests', wait };
    }
    if (has(v, REFUSED.tokens) && spec.tpm !== undefined) {
      const wait = waitMs(reading.tokensDebt, est.tokens, spec.tpm);
      if (!worst || wait > worst.wait) worst = { verdict: v, kind: 'tokens', wait };
    }
  }
  const crowded = verdicts.find((v) => has(v, REFUSED.concurrency));

  if (worst) {
    const { spec, reading } = worst.verdict;
    const wait = Math.max(worst.wait, crowded ? concurrencyRetryAfterMs : 0);
    const detail =
      worst.kind === 'requests'
        ? `requests per min (RPM): Limit ${spec.rpm}, Used ${used(reading.requestsDebt)}, Requested 1`
        : `tokens per min (TPM): Limit ${spec.tpm}, Used ${used(reading.tokensDebt)}, Requested ${est.tokens}`;
    const message = `Rate limit reached for ${spec.id} on ${detail}. Please try again in ${formatResetDuration(wait)}.`;
    return new BaimoError('rate_limit', message, {
      status: 429,
      code: 'rate_limit_exceeded',
      type: worst.kind,
      retryable: true,
      retryAfter: wait / 1000,
      headers,
    });
  }

  const full = crowded!;
  return new BaimoError(
    'rate_limit',
    `Too many concurrent requests for ${full.spec.id}: Limit ${full.spec.maxConcurrency}. ` +
      'Please retry when a request in flight finishes.',
    {
      status: 429,
      code: 'concurrency_limit_exceeded',
      type: 'requests',
      retryable: true,
      retryAfter: concurrencyRetryAfterMs / 1000,
      headers,
    },
  );
}
