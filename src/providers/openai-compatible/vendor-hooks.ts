import type { ProviderConfig } from '../../config/types.js';
import { asNumber, asObject, asString, type JsonObject } from './loose-json.js';
import type { InBodyError, ThinkingSwitch, VendorEntry, WireBody } from './vendors.js';

/**
 * Named hooks for vendor behaviour that table data can't express (STYLE.md house rule 3).
 * Each is referenced from one or more entries in `vendors.ts` and has its own unit test.
 */

/**
 * Azure OpenAI URLs (CATALOG.md §2). With `api_version` set: the dated API, deployment in the
 * path and `api-version` in the query; otherwise the v1 API. `base_url` is the resource endpoint
 * (`https://{resource}.openai.azure.com`); a trailing `/openai` or `/openai/v1`, as written for
 * the OpenAI SDK, is tolerated.
 */
export function azureDeploymentUrl(provider: ProviderConfig, path: string, upstreamModel: string): string {
  const resource = provider.base_url.replace(/\/+$/, '').replace(/\/openai(?:\/v1)?$/, '');
  if (provider.api_version) {
    const deployment = encodeURIComponent(upstreamModel);
    return `${resource}/openai/deployments/${deployment}${path}?api-version=${encodeURIComponent(provider.api_version)}`;
  }
  return `${resource}/openai/v1${path}`;
}

/**
 * DashScope compatible mode (§6.2): hybrid-thinking Qwen3 models answer 400 "parameter.enable_thinking
 * must be set to false for non-streaming calls". For non-stream requests send thinking off unless
 * the client chose a value itself; harmless for models without thinking.
 */
export function thinkingOffUnlessStreaming(body: WireBody, ctx: { stream: boolean; vendor: VendorEntry }): WireBody {
  if (ctx.stream || isThinkingSet(body, ctx.vendor.thinkingSwitch)) return body;
  return withThinkingOff(body, ctx.vendor.thinkingSwitch);
}

function isThinkingSet(body: WireBody, toggle: ThinkingSwitch): boolean {
  switch (toggle) {
    case 'enable_thinking':
      return body.enable_thinking !== undefined;
    case 'thinking.type':
      return body.thinking !== undefined;
    case 'chat_template_kwargs.enable_thinking':
      return asObject(body.chat_template_kwargs)?.enable_thinking !== undefined;
    case 'none':
      return true;
  }
}

/** Spells "thinking off" the vendor's way (Appendix A "thinking switch"). */
export function withThinkingOff(body: WireBody, toggle: ThinkingSwitch): WireBody {
  switch (toggle) {
    case 'enable_thinking':
      return { ...body, enable_thinking: false };
    case 'thinking.type':
      return { ...body, thinking: { type: 'disabled' } };
    case 'chat_template_kwargs.enable_thinking':
      return { ...body, chat_template_kwargs: { ...asObject(body.chat_template_kwargs), enable_thinking: false } };
    case 'none':
      return body;
  }
}

/** MiniMax (§13): HTTP 200 with `base_resp.status_code ≠ 0` is an error; 0 is success. */
export function minimaxBaseRespError(json: JsonObject): InBodyError | undefined {
  const baseResp = asObject(json.base_resp);
  const status = asNumber(baseResp?.status_code);
  if (status === undefined || status === 0) return undefined;
  return { code: String(status), message: asString(baseResp?.status_msg) ?? '' };
}

/** iFlytek Spark (§15): bodies and chunks carry `code` (0 = success) and `message`. */
export function sparkCodeError(json: JsonObject): InBodyError | undefined {
  const code = asNumber(json.code);
  if (code === undefined || code === 0) return undefined;
  return { code: String(code), message: asString(json.message) ?? '' };
}
