import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../../../src/knowledge/index/bm25-index.js';
import { createTokenizer } from '../../../../src/knowledge/index/tokenizer.js';

const tokenize = createTokenizer();

// A small hand-labelled set: each query names the one document that answers it.
const DOCS: Record<string, string> = {
  gateway: '多租户大模型网关负责把请求路由到不同的模型供应商，并在失败时切换。',
  billing: '计费模块按照输入和输出的令牌数量计算费用，每月生成账单。',
  ratelimit: 'Rate limiting uses a token bucket per API key; requests over the limit get HTTP 429.',
  ssrf: 'The URL fetcher refuses private and loopback addresses to prevent server-side request forgery.',
  rag: '知识库把文档切分成片段，建立全文索引和向量索引，用于检索增强生成。',
  keys: 'API keys are hashed with bcrypt and can be revoked by an organisation owner at any time.',
  streaming: 'Streaming responses are relayed as server-sent events without buffering the whole answer.',
  embedding: '嵌入模型把文本转换成向量，向量之间的余弦相似度表示语义上的接近程度。',
  deploy: 'Deploy Baimo with Docker; the embedded mode stores data in SQLite on a single box.',
};

const QUERIES: [query: string, expected: string][] = [
  ['模型网关如何路由请求', 'gateway'],
  ['令牌计费 账单', 'billing'],
  ['what happens when I exceed the rate limit', 'ratelimit'],
  ['server-side request forgery protection', 'ssrf'],
  ['全文索引 向量索引 知识库', 'rag'],
  ['revoke an API key', 'keys'],
  ['余弦相似度', 'embedding'],
  ['docker deployment sqlite', 'deploy'],
];

function build(): Bm25Index {
  const idx = new Bm25Index(tokenize);
  for (const [id, text] of Object.entries(DOCS)) idx.add(id, text);
  return idx;
}

describe('Bm25Index', () => {
  it('ranks the labelled answer first for every query (Chinese and English)', () => {
    const idx = build();
    const top1 = QUERIES.map(([q]) => idx.search(q, 1)[0]?.id);
    expect(top1).toEqual(QUERIES.map(([, want]) => want));
  });

  it('recall@3 is 1 and scores are descending', () => {
    const idx = build();
    for (const [q, want] of QUERIES) {
      const hits = idx.search(q, 3);
      expect(hits.map((h) => h.id)).toContain(want);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    }
  });

  it('removes and replaces documents by id', () => {
    const idx = build();
    expect(idx.remove('billing')).toBe(true);
    expect(idx.remove('billing')).toBe(false);
    expect(idx.search('账单', 5).map((h) => h.id)).not.toContain('billing');
    idx.add('deploy', '账单 账单');
    expect(idx.search('账单', 1)[0]?.id).toBe('deploy');
    expect(idx.search('docker', 5)).toEqual([]);
    expect(idx.size).toBe(8);
  });

  it('round-trips through JSON with identical results', () => {
    const idx = build();
    const copy = Bm25Index.fromJSON(JSON.parse(JSON.stringify(idx.toJSON())), tokenize);
    for (const [q] of QUERIES) expect(copy.search(q, 5)).toEqual(idx.search(q, 5));
  });

  it('uses k1 = 1.2, b = 0.75 by default and matches the formula on a two-document case', () => {
    const idx = new Bm25Index(tokenize);
    expect(idx.params).toEqual({ k1: 1.2, b: 0.75 });
    idx.add('a', 'apple apple banana');
    idx.add('b', 'banana cherry');
    const [hit] = idx.search('apple', 1);
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * 2 * 2.2) / (2 + 1.2 * (1 - 0.75 + (0.75 * 3) / 2.5));
    expect(hit!.id).toBe('a');
    expect(hit!.score).toBeCloseTo(expected, 10);
  });
});
