import { describe, expect, it } from 'vitest';
import { countTokens, splitByTokens, splitSentences } from '../../../../src/knowledge/chunk/index.js';

const pieces = (text: string, spans: Array<[number, number]>) => spans.map(([s, e]) => text.slice(s, e));

describe('countTokens', () => {
  it('counts CJK characters one each, words 1.3 each, symbols one each', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('网关负责路由')).toBe(6);
    expect(countTokens('one two three four five six seven eight nine ten')).toBe(13);
    expect(countTokens('网关 gateway。')).toBe(2 + 2 + 1);
  });

  it('splitByTokens cuts at atom boundaries within the budget', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta';
    const parts = pieces(text, splitByTokens(text, 4));
    expect(parts).toEqual(['alpha beta gamma', 'delta epsilon zeta', 'eta theta']);
    for (const p of parts) expect(countTokens(p)).toBeLessThanOrEqual(4);
    const cjk = '一二三四五六七';
    expect(pieces(cjk, splitByTokens(cjk, 3))).toEqual(['一二三', '四五六', '七']);
  });
});

describe('splitSentences', () => {
  it('splits Chinese on full-width enders without needing spaces', () => {
    const text = '网关负责路由。限流按租户计算！真的吗？是的；完毕……后记';
    expect(pieces(text, splitSentences(text))).toEqual(['网关负责路由。', '限流按租户计算！', '真的吗？', '是的；', '完毕……', '后记']);
  });

  it('keeps closing quotes with their sentence', () => {
    const text = '他说：“好的。”然后离开了。';
    expect(pieces(text, splitSentences(text))).toEqual(['他说：“好的。”', '然后离开了。']);
  });

  it('splits English only at .?! followed by whitespace', () => {
    const text = 'Version 3.14 is out. Is it fast? Yes! See e.g.x for more';
    expect(pieces(text, splitSentences(text))).toEqual(['Version 3.14 is out.', 'Is it fast?', 'Yes!', 'See e.g.x for more']);
  });

  it('treats a line break as a sentence end and mixes languages', () => {
    const text = 'Baimo routes requests. 网关负责路由。\nNext line';
    expect(pieces(text, splitSentences(text))).toEqual(['Baimo routes requests.', '网关负责路由。', 'Next line']);
  });
});
