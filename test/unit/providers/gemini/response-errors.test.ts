import { describe, expect, it } from 'vitest';
import { createGeminiAdapter } from '../../../../src/providers/gemini/index.js';
import { errorJson, fixedContext, outcome } from '../anthropic/fixture-suite.js';

const adapter = createGeminiAdapter();
const finish = (finishReason: string, parts: unknown[] = [{ text: 'x' }]) =>
  adapter.chat.parse({ candidates: [{ index: 0, content: { parts }, finishReason }] }, fixedContext()).choices[0]!.finish_reason;

describe('gemini response parsing', () => {
  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['IMAGE_SAFETY', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'malformed_function_call'],
    ['OTHER', 'other'],
  ])('maps finishReason %s → %s', (reason, expected) => {
    expect(finish(reason)).toBe(expected);
  });

  it('reports STOP after function calls as tool_calls, but MAX_TOKENS stays length', () => {
    const call = [{ functionCall: { name: 'f', args: {} } }];
    expect(finish('STOP', call)).toBe('tool_calls');
    expect(finish('MAX_TOKENS', call)).toBe('length');
  });

  it('calls a body without candidates or a block reason malformed, and maps an error inside a 200', () => {
    expect(outcome(() => adapter.chat.parse({ usageMetadata: { promptTokenCount: 1 } }, fixedContext()))).toMatchObject({
      error: { status: 502, code: 'upstream_malformed_response' },
    });
    expect(outcome(() => adapter.chat.parse({ error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } }, fixedContext()))).toMatchObject({
      error: { status: 503, code: 'overloaded' },
    });
  });
});

describe('gemini error mapping beyond the fixtures', () => {
  const map = (status: number, body: string, headers: Record<string, string> = {}) => errorJson(adapter.mapError({ status, headers, body }));

  it('classifies by HTTP status when the body is not a Google error', () => {
    expect(map(502, '<html>Bad Gateway</html>')).toMatchObject({ status: 502, code: 'upstream_error', failure: 'transient' });
    expect(map(429, '', { 'retry-after': '2' })).toMatchObject({ status: 429, failure: 'rate_limited', retryAfter: 2 });
    expect(map(403, 'Forbidden')).toMatchObject({ status: 502, code: 'upstream_auth_error', failure: 'credential' });
    expect(map(413, '')).toMatchObject({ status: 413, code: 'request_too_large' });
    expect(map(404, '')).toMatchObject({ status: 404, code: 'model_not_found', failure: 'not_found' });
  });

  it('lets RetryInfo win over a retry-after header', () => {
    const body = JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'q', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }] } });
    expect(map(429, body, { 'retry-after': '60' })).toMatchObject({ retryAfter: 12 });
  });

  it('sanitises the caller-visible message: vendor names, hosts and key-like strings', () => {
    const body = JSON.stringify({
      error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Gemini rejected key AIzaSyA1234567890abcdefghijk at generativelanguage.googleapis.com' },
    });
    expect(map(400, body).message).toBe('upstream rejected key [redacted] at [host]');
  });
});
