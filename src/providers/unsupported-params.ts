import type { ChatRequest } from '../protocol/chat.js';
import { unsupported } from '../protocol/errors.js';

/** Request fields a native wire format may have no room for. */
export type RefusableParam =
  | 'n'
  | 'response_format'
  | 'logprobs'
  | 'top_logprobs'
  | 'logit_bias'
  | 'seed'
  | 'presence_penalty'
  | 'frequency_penalty';

/**
 * Refuse, with a 400 `unsupported_parameter` naming the field, each listed parameter that the
 * request sets to a value that would change the answer. Baimo never drops such a field silently
 * (STYLE.md house rule 9; Portkey's "silent clamping" lesson): a client that asked for JSON mode
 * or three choices must not get prose or one choice without being told. Neutral values (absent,
 * null, `n: 1`, a zero penalty, `logprobs: false`, `{}` bias, `response_format: text`) pass.
 */
export function refuseUnsupportedParams(req: ChatRequest, params: readonly RefusableParam[]): void {
  for (const param of params) {
    if (isNeutral(param, req)) continue;
    const shown = param === 'response_format' ? `response_format '${req.response_format?.type}'` : param;
    throw unsupported(`${shown} is not supported by this model.`, param);
  }
}

function isNeutral(param: RefusableParam, req: ChatRequest): boolean {
  switch (param) {
    case 'n':
      return req.n == null || req.n === 1;
    case 'response_format':
      return req.response_format == null || req.response_format.type === 'text';
    case 'logprobs':
      return req.logprobs == null || req.logprobs === false;
    case 'logit_bias':
      return req.logit_bias == null || Object.keys(req.logit_bias).length === 0;
    case 'presence_penalty':
    case 'frequency_penalty':
      return req[param] == null || req[param] === 0;
    case 'top_logprobs':
    case 'seed':
      return req[param] == null;
  }
}
