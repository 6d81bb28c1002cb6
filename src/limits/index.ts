export type {
  ActualUsage,
  Admission,
  AdmitRequest,
  BudgetAlert,
  Limiter,
  LimiterOptions,
  LimitScope,
  ScopeSnapshot,
  SettleResult,
} from './types.js';
export { createMemoryLimiter, type MemoryLimiterOptions } from './memory-limiter.js';
export { createRedisLimiter, type RedisLimiterOptions } from './redis-limiter.js';
export { formatResetDuration, rateLimitHeaders, type Gauge } from './rate-limit-headers.js';
export { WINDOW_MS } from './token-bucket.js';
export { monthOf, parseScopeId, periodWindow, scopesForPeriod, type BudgetPeriod, type ParsedScopeId, type PeriodWindow } from './budget-period.js';
