import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../../../../src/knowledge/index/tokenizer.js';

const tokenize = createTokenizer();

describe('tokenizer', () => {
  it('segments Chinese with jieba and stems English', () => {
    const t = tokenize('多租户大模型网关 routing requests');
    expect(t).toEqual(expect.arrayContaining(['租户', '网关', 'rout', 'request']));
    expect(t).not.toContain(' ');
  });

  it('drops light stop words, keeps numbers, folds full-width', () => {
    expect(tokenize('The price of the GPU is 42 元')).toEqual(['price', 'gpu', '42', '元']);
    expect(tokenize('ＧＰＵ')).toEqual(['gpu']);
    expect(tokenize('向量检索的混合排序')).toEqual(['向量', '检索', '混合', '排序']);
  });

  it('treats query and document the same way', () => {
    expect(tokenize('Routed')).toEqual(tokenize('routing'));
  });
});
