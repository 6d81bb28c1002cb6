import { asArray, asNumber, asObject, asString, tryParseJson } from './loose-json.js';
import type { ErrorShape } from './vendors.js';

/** What every upstream error body boils down to, whatever its shape. */
export interface ParsedUpstreamError {
  shape: ErrorShape;
  /** Raw upstream text; sanitise before showing it (`sanitizeUpstreamMessage`). */
  message: string;
  /** Vendor code as a string (`rate_limit_exceeded`, Zhipu `"1301"`, SiliconFlow `20012`). */
  code?: string;
  type?: string;
  param?: string;
  /** An HTTP status written in the body (vLLM/LMDeploy/llama.cpp `code:<int>`, Gemini `code:429`). */
  statusHint?: number;
  /** Gemini `RetryInfo.retryDelay`, in seconds. */
  retryAfter?: number;
}

/** Parses a non-2xx body of any shape in CATALOG.md Appendix A "error body shapes"; plain text too. */
export function parseErrorBody(body: string): ParsedUpstreamError {
  const parsed = parseErrorJson(tryParseJson(body.trim()));
  if (parsed) return parsed;
  // An HTML error page (proxy, load balancer) says nothing useful and may name hosts.
  const text = body.trim();
  return { shape: 'text', message: text.startsWith('<') ? '' : text };
}

/** Parses an already-decoded error object (also used for `data: {"error":…}` stream frames). */
export function parseErrorJson(value: unknown): ParsedUpstreamError | undefined {
  // Gemini's OpenAI-compatible endpoint wraps errors in a one-element array (§4.2).
  if (Array.isArray(value)) {
    const inner = parseErrorJson(value[0]);
    return inner && { ...inner, shape: 'openai-array' };
  }
  const obj = asObject(value);
  if (!obj) return undefined;
  // TGI `{"error":"…","error_type":"…"}` (§22); Ollama native `{"error":"…"}` (§20).
  if (typeof obj.error === 'string') return { shape: 'tgi', message: obj.error, type: asString(obj.error_type) };
  const error = asObject(obj.error);
  if (error) {
    // OAI (§1.5) and its relatives: Kimi without `code`, Zhipu string codes, Ark, Gemini `status`, llama.cpp int codes.
    return {
      shape: 'openai',
      message: asString(error.message) ?? '',
      ...codeFields(error.code),
      type: asString(error.type) ?? asString(error.status),
      param: asString(error.param) || undefined,
      retryAfter: retryDelayOf(error.details),
    };
  }
  // vLLM-old / SGLang / LMDeploy flat `{"object":"error",…,"code":<int>}` (§18, §19, §24).
  if (obj.object === 'error') {
    return {
      shape: 'flat',
      message: asString(obj.message) ?? '',
      ...codeFields(obj.code),
      type: asString(obj.type),
      param: asString(obj.param) || undefined,
    };
  }
  // MiniMax `{"base_resp":{status_code,status_msg}}` (§13).
  const baseResp = asObject(obj.base_resp);
  if (baseResp && asNumber(baseResp.status_code) !== 0) {
    return { shape: 'base-resp', message: asString(baseResp.status_msg) ?? '', ...codeFields(baseResp.status_code) };
  }
  // SiliconFlow `{"code":20012,"message","data"}` (§17); DashScope native `{code,message}` (§6.4); a
  // Python server's framework default `{"detail":"Not Found"}` (a wrong base URL on vLLM or SGLang).
  const message = asString(obj.message) ?? asString(obj.detail);
  if (message !== undefined) return { shape: 'code-message', message, ...codeFields(obj.code) };
  return undefined;
}

/** An integer code in the HTTP range is a status written into the body, not a vendor code. */
function codeFields(code: unknown): { code?: string; statusHint?: number } {
  const numeric = asNumber(code);
  if (numeric !== undefined) {
    return Number.isInteger(numeric) && numeric >= 100 && numeric <= 599 ? { statusHint: numeric } : { code: String(numeric) };
  }
  const text = asString(code);
  return text ? { code: text } : {};
}

function retryDelayOf(details: unknown): number | undefined {
  for (const detail of asArray(details) ?? []) {
    const delay = /^(\d+(?:\.\d+)?)s$/.exec(asString(asObject(detail)?.retryDelay) ?? '');
    if (delay) return Math.ceil(Number(delay[1]));
  }
  return undefined;
}

const MAX_MESSAGE = 500;

const REDACTIONS: readonly [RegExp, string][] = [
  [/\bhttps?:\/\/[^\s"'<>)]+/gi, '[redacted-url]'],
  [/\bBearer\s+[^\s"',)]+/gi, 'Bearer [redacted]'],
  [/\bsk-[A-Za-z0-9*_.-]{3,}/g, '[redacted-key]'],
  [/\bbce-v3\/[^\s"',)]+/g, '[redacted-key]'],
  [/\bAIza[0-9A-Za-z_-]{10,}/g, '[redacted-key]'],
  [/\borg-[A-Za-z0-9]{6,}/g, '[redacted-org]'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '[redacted-host]'],
  [/\b(?:[a-z0-9-]+\.)+(?:com|cn|ai|io|net|org|cloud|dev|co)(?::\d+)?\b/gi, '[redacted-host]'],
];

/**
 * Keeps the upstream's explanation but never its host, URLs or key fragments (errors.ts
 * `upstreamError`: messages are sanitised), collapsed to one line and capped in length.
 */
export function sanitizeUpstreamMessage(text: string): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE - 1)}…` : out;
}
