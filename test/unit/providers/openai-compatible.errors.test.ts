import { describe, expect, it } from 'vitest';
import { parseErrorBody, sanitizeUpstreamMessage } from '../../../src/providers/openai-compatible/error-body.js';
import { retryAfterSeconds } from '../../../src/providers/openai-compatible/errors.js';
import { createOpenAICompatibleAdapter, findVendor } from '../../../src/providers/openai-compatible/index.js';

/** Error mapping (CATALOG.md Appendix A "error body shapes", Appendix B classification) beyond the fixtures. */

const mapError = (vendorId: string, status: number, body: unknown, headers: Record<string, string | string[]> = {}) =>
  createOpenAICompatibleAdapter(findVendor(vendorId)!).mapError({
    status,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('parseErrorBody', () => {
  it('recognises every shape in Appendix A', () => {
    expect(parseErrorBody('{"error":{"message":"m","type":"t","param":"p","code":"c"}}')).toEqual({ shape: 'openai', message: 'm', type: 't', param: 'p', code: 'c' });
    expect(parseErrorBody('[{"error":{"code":429,"message":"m","status":"RESOURCE_EXHAUSTED"}}]')).toEqual({ shape: 'openai-array', message: 'm', statusHint: 429, type: 'RESOURCE_EXHAUSTED' });
    expect(parseErrorBody('{"object":"error","message":"m","type":"t","param":null,"code":400}')).toEqual({ shape: 'flat', message: 'm', type: 't', statusHint: 400 });
    expect(parseErrorBody('{"error":"m","error_type":"overloaded"}')).toEqual({ shape: 'tgi', message: 'm', type: 'overloaded' });
    expect(parseErrorBody('{"error":"m"}')).toEqual({ shape: 'tgi', message: 'm' });
    expect(parseErrorBody('{"code":20012,"message":"m","data":null}')).toEqual({ shape: 'code-message', message: 'm', code: '20012' });
    expect(parseErrorBody('{"base_resp":{"status_code":1002,"status_msg":"m"}}')).toEqual({ shape: 'base-resp', message: 'm', code: '1002' });
    expect(parseErrorBody('{"detail":"Not Found"}')).toEqual({ shape: 'code-message', message: 'Not Found' });
    expect(parseErrorBody('  plain words  ')).toEqual({ shape: 'text', message: 'plain words' });
    expect(parseErrorBody('<html><body>502</body></html>')).toEqual({ shape: 'text', message: '' });
    expect(parseErrorBody('')).toEqual({ shape: 'text', message: '' });
  });

  it('keeps string codes as codes and reads integer HTTP-range codes as a status (Zhipu "1301" vs vLLM 400)', () => {
    expect(parseErrorBody('{"error":{"code":"1301","message":"m"}}').code).toBe('1301');
    expect(parseErrorBody('{"error":{"code":400,"message":"m"}}')).toMatchObject({ statusHint: 400 });
    expect(parseErrorBody('{"error":{"code":400,"message":"m"}}').code).toBeUndefined();
  });
});

describe('sanitizeUpstreamMessage', () => {
  it('removes URLs, hosts, IPs, keys and org ids but keeps the explanation', () => {
    const text = 'Bad key sk-proj-AbC123xyz for org-AbCdEf123 at https://api.example.com/v1/x via api.deepseek.com and 10.1.2.3:8000 (Bearer abc.def)';
    expect(sanitizeUpstreamMessage(text)).toBe(
      'Bad key [redacted-key] for [redacted-org] at [redacted-url] via [redacted-host] and [redacted-host] (Bearer [redacted])',
    );
  });

  it('keeps model names and version numbers', () => {
    expect(sanitizeUpstreamMessage('Model gpt-4.1-mini (v2.5.1) is busy')).toBe('Model gpt-4.1-mini (v2.5.1) is busy');
  });

  it('collapses whitespace and caps the length', () => {
    expect(sanitizeUpstreamMessage('a\n\n  b')).toBe('a b');
    expect(sanitizeUpstreamMessage('x'.repeat(2000))).toHaveLength(500);
  });
});

describe('retryAfterSeconds', () => {
  it('prefers retry-after-ms, rounds up, matches names in any case and takes the first of repeated headers', () => {
    expect(retryAfterSeconds({ 'retry-after': '9', 'Retry-After-Ms': '1200' })).toBe(2);
    expect(retryAfterSeconds({ 'Retry-After': ['3', '5'] })).toBe(3);
    expect(retryAfterSeconds({ 'retry-after': '0.2' })).toBe(1);
  });

  it('ignores HTTP dates, negative and empty values', () => {
    expect(retryAfterSeconds({ 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' })).toBeUndefined();
    expect(retryAfterSeconds({ 'retry-after': '-1' })).toBeUndefined();
    expect(retryAfterSeconds({ 'retry-after': '' })).toBeUndefined();
    expect(retryAfterSeconds({})).toBeUndefined();
  });
});

describe('mapError classification (Appendix B)', () => {
  it('DashScope insufficient_quota is a throttle, OpenAI insufficient_quota is an empty balance', () => {
    const body = { error: { code: 'insufficient_quota', message: 'quota', type: 'insufficient_quota' } };
    expect(mapError('dashscope', 429, body)).toMatchObject({ status: 429, code: 'rate_limit_exceeded', failure: 'rate_limited', retryable: true });
    expect(mapError('openai', 429, body)).toMatchObject({ status: 429, code: 'insufficient_quota', failure: 'quota', retryable: false });
  });

  it('reads vendor business codes only for their vendor', () => {
    const body = { error: { code: '1113', message: 'arrears' } };
    expect(mapError('zhipu', 429, body)).toMatchObject({ failure: 'quota' });
    expect(mapError('openai-compatible', 429, body)).toMatchObject({ failure: 'rate_limited' });
  });

  it('falls back on the status when no code or type is known', () => {
    const body = { error: { message: 'm' } };
    expect(mapError('yi', 402, body)).toMatchObject({ status: 429, code: 'insufficient_quota', failure: 'quota' });
    expect(mapError('yi', 403, body)).toMatchObject({ status: 502, code: 'upstream_auth_error', failure: 'credential' });
    expect(mapError('yi', 404, body)).toMatchObject({ status: 404, code: 'model_not_found', failure: 'not_found' });
    expect(mapError('yi', 408, body)).toMatchObject({ status: 504, code: 'upstream_timeout', failure: 'transient' });
    expect(mapError('yi', 409, body)).toMatchObject({ status: 502, code: 'upstream_error', failure: 'transient' });
    expect(mapError('yi', 413, body)).toMatchObject({ status: 400, code: 'invalid_request', failure: 'caller' });
    expect(mapError('yi', 418, body)).toMatchObject({ status: 400, failure: 'caller' });
    expect(mapError('yi', 500, body)).toMatchObject({ status: 502, code: 'upstream_error', failure: 'transient', retryable: true });
    expect(mapError('yi', 529, body)).toMatchObject({ status: 503, code: 'overloaded', failure: 'transient' });
  });

  it('lets a code win over the status (a 403 that is a content filter, a 400 that is an unknown model)', () => {
    expect(mapError('mindie', 403, { error: { code: 'ModelArts.81011', message: 'm' } })).toMatchObject({ status: 400, code: 'content_filter' });
    expect(mapError('siliconflow', 400, { code: 20012, message: 'm' })).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('keeps the upstream param for caller errors and the upstream text for everything but auth', () => {
    const error = mapError('openai', 400, { error: { message: 'bad temperature', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } });
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', param: 'temperature', message: 'bad temperature', kind: 'validation' });
    const auth = mapError('openai', 401, { error: { message: 'Incorrect API key provided: sk-abc123', code: 'invalid_api_key' } });
    expect(auth.message).not.toContain('sk-');
    expect(auth.kind).toBe('upstream');
  });

  it('attaches retry-after to rate limits and overloads, never to caller errors', () => {
    expect(mapError('openai', 429, { error: { message: 'm' } }, { 'retry-after': '4' }).retryAfter).toBe(4);
    expect(mapError('openai', 503, { error: { message: 'm' } }, { 'retry-after': '4' }).retryAfter).toBe(4);
    expect(mapError('openai', 400, { error: { message: 'm' } }, { 'retry-after': '4' }).retryAfter).toBeUndefined();
  });

  it('treats an overload answered with 429 as a rate limit (Kimi engine_overloaded_error)', () => {
    expect(mapError('moonshot', 429, { error: { type: 'engine_overloaded_error', message: 'busy' } })).toMatchObject({ status: 429, failure: 'rate_limited' });
  });

  it('does not mistake inherited object keys for codes', () => {
    expect(mapError('zhipu', 400, { error: { code: 'constructor', message: 'm' } })).toMatchObject({ status: 400, failure: 'caller' });
    expect(mapError('zhipu', 400, { error: { code: '__proto__', type: 'toString', message: 'm' } })).toMatchObject({ failure: 'caller' });
  });

  it('gives a generic message when the upstream gave none', () => {
    expect(mapError('tgi', 500, '').message).toBe('Upstream request failed (HTTP 500).');
  });
});
