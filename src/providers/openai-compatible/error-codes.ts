import type { ErrorClass, VendorEntry } from './vendors.js';

/**
 * Error codes and types whose meaning is the same wherever they appear (CATALOG.md Appendix B,
 * with the vendor sections it cites). Vendor business codes whose numbers mean different things
 * per vendor (Zhipu 1302, MiniMax 1002, Spark 11202, …) live in each entry's `errorCodes`, which
 * wins over this table (e.g. DashScope's `insufficient_quota` is a throttle, §6.4).
 */
const GENERIC: Readonly<Record<string, ErrorClass>> = {
  // rate limits
  rate_limit_exceeded: 'rate_limited', // OpenAI §1.5
  rate_limit_error: 'rate_limited', // Anthropic-style, also OpenAI 429 types
  rate_limit_reached_error: 'rate_limited', // Kimi §11
  engine_overloaded_error: 'rate_limited', // Kimi §11 (429)
  limit_requests: 'rate_limited', // DashScope §6.4
  limit_burst_rate: 'rate_limited',
  rpm_rate_limit_exceeded: 'rate_limited', // Qianfan §7.1
  tpm_rate_limit_exceeded: 'rate_limited',
  RESOURCE_EXHAUSTED: 'rate_limited', // Gemini compat §4
  RequestLimitExceeded: 'rate_limited', // Tencent §9.2
  ThrottlingException: 'rate_limited',
  // out of credit: cool the deployment down
  insufficient_quota: 'quota', // OpenAI §1.5 (not DashScope: see its entry)
  credit_balance_exhausted: 'quota',
  exceeded_current_quota_error: 'quota', // Kimi §11
  AccountQuotaExceeded: 'quota', // Ark §8
  SetLimitExceeded: 'quota',
  Arrearage: 'quota', // DashScope §6.4
  CommodityNotPurchased: 'quota',
  PrepaidBillOverdue: 'quota',
  PostpaidBillOverdue: 'quota',
  'AllocationQuota.FreeTierOnly': 'quota',
  'ResourceInsufficient.ChargeResourceExhaust': 'quota', // Tencent §9.2
  billing_error: 'quota',
  // overload
  server_is_overloaded: 'overloaded', // OpenAI §1.5
  slow_down: 'overloaded',
  overloaded_error: 'overloaded',
  service_unavailable_error: 'overloaded',
  ModelServingError: 'overloaded', // DashScope §6.4
  ModelUnavailable: 'overloaded',
  ServiceUnavailable: 'overloaded', // Ark §8
  UNAVAILABLE: 'overloaded',
  unavailable_error: 'overloaded', // llama.cpp "Loading model" §21
  // content filter
  content_filter: 'content_filter', // OpenAI/Azure §2, Kimi §11
  content_policy_violation: 'content_filter',
  data_inspection_failed: 'content_filter', // DashScope §6.4
  DataInspectionFailed: 'content_filter',
  SensitiveContentDetected: 'content_filter', // Ark §8
  ResponsibleAIPolicyViolation: 'content_filter', // Azure innererror §2
  'ModelArts.81011': 'content_filter', // MindIE on ModelArts §23
  // context too long
  context_length_exceeded: 'context_length',
  exceed_context_size_error: 'context_length', // llama.cpp §21
  // model unknown or not enabled
  model_not_found: 'not_found',
  ModelNotFound: 'not_found', // DashScope §6.4
  model_not_supported: 'not_found',
  ModelNotOpen: 'not_found', // Ark §8
  UnsupportedModel: 'not_found',
  DeploymentNotFound: 'not_found', // Azure §2
  resource_not_found_error: 'not_found', // Kimi §11
  not_found_error: 'not_found', // Ollama §20, llama.cpp §21
  invalid_model: 'not_found', // Qianfan §7.1
  NOT_FOUND: 'not_found',
  // the operator's credential
  invalid_api_key: 'auth',
  InvalidApiKey: 'auth', // DashScope §6.4
  invalid_authentication_error: 'auth', // Kimi §11
  authentication_error: 'auth',
  AuthenticationError: 'auth', // Ark §8
  invalid_iam_token: 'auth', // Qianfan §7.1
  permission_denied_error: 'auth',
  permission_error: 'auth',
  PERMISSION_DENIED: 'auth',
  AccessDenied: 'auth',
  'AccessDenied.Unpurchased': 'auth',
  'Model.AccessDenied': 'auth',
  unsupported_country_region_territory: 'auth',
};

/** Families of codes that share a prefix (Ark `InvalidEndpointOrModel.*`, Tencent `AuthFailure.*`, DashScope `Throttling*`). */
const PREFIXES: readonly [string, ErrorClass][] = [
  ['InvalidEndpointOrModel.', 'not_found'],
  ['RateLimitExceeded.', 'rate_limited'],
  ['AuthFailure', 'auth'],
  ['Throttling', 'rate_limited'],
];

/** The class a code or type names for this vendor, or `undefined` when it names none. */
export function classOfCode(vendor: VendorEntry, code: string | undefined): ErrorClass | undefined {
  if (!code) return undefined;
  if (Object.hasOwn(vendor.errorCodes, code)) return vendor.errorCodes[code];
  if (Object.hasOwn(GENERIC, code)) return GENERIC[code];
  return PREFIXES.find(([prefix]) => code.startsWith(prefix))?.[1];
}

/** Context overflow is often only in the message text (Appendix B: Kimi, vLLM, TGI wording). */
const CONTEXT_MESSAGE =
  /maximum context length|context (?:length|size|window)|exceeded model token limit|token length too long|prompt is too long|too many (?:input )?tokens|max_new_tokens`? must be <=/i;

/** True when an error message says the prompt did not fit. */
export function saysContextTooLong(message: string): boolean {
  return CONTEXT_MESSAGE.test(message);
}

/** Classification from the HTTP status when no code or type says more. */
export function classOfStatus(status: number, message: string): ErrorClass {
  if (status === 400 || status === 413 || status === 422) {
    return saysContextTooLong(message) ? 'context_length' : 'invalid_request';
  }
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota'; // DeepSeek §12, Anthropic billing
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded'; // 529: Anthropic-style overload
  if (status >= 400 && status < 500 && status !== 408 && status !== 409) return 'invalid_request';
  return 'server'; // 5xx, 408, 409 (retryable per §1.5), and unknown codes inside a 2xx
}
