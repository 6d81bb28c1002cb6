/**
 * The mock Bedrock's default answer to the Agent Runtime's `POST /rerank` (CATALOG.md §5). It
 * checks the body the way the API does — one TEXT query, INLINE TEXT sources, the
 * BEDROCK_RERANKING_MODEL configuration with a rerank model's foundation-model ARN, and
 * `numberOfResults` between 1 and the number of sources — and answers
 * `{results: [{index, relevanceScore, document}]}`, most relevant first. The score is the share of
 * the query's words found in the document (`mockRelevance`), so tests can predict the order.
 */
const RERANK_ARN = /^arn:aws(-[a-z]+)*:bedrock:[a-z0-9-]+::foundation-model\/(cohere\.rerank-v3-5:0|amazon\.rerank-v1:0)$/;

export function mockRelevance(query: string, document: string): number {
  const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const have = new Set(words(document));
  const asked = words(query);
  return asked.length === 0 ? 0 : asked.filter((w) => have.has(w)).length / asked.length;
}

/** `{answer}` for a body the API would accept, else `{invalid}` with its ValidationException message. */
export function echoRerank(body: any): { answer: unknown } | { invalid: string } {
  const query = body?.queries?.length === 1 && body.queries[0]?.type === 'TEXT' ? body.queries[0].textQuery?.text : undefined;
  if (typeof query !== 'string') return { invalid: 'queries must hold exactly one TEXT query.' };
  const sources: unknown[] = Array.isArray(body.sources) ? body.sources : [];
  const texts = sources.map((s: any) => (s?.type === 'INLINE' && s.inlineDocumentSource?.type === 'TEXT' ? s.inlineDocumentSource.textDocument?.text : undefined));
  if (texts.length === 0 || texts.some((t) => typeof t !== 'string')) return { invalid: 'sources must be INLINE TEXT documents.' };
  const config = body.rerankingConfiguration;
  const bedrock = config?.type === 'BEDROCK_RERANKING_MODEL' ? config.bedrockRerankingConfiguration : undefined;
  if (!RERANK_ARN.test(String(bedrock?.modelConfiguration?.modelArn))) return { invalid: 'The provided model identifier is invalid.' };
  const count = bedrock.numberOfResults ?? texts.length;
  if (!Number.isInteger(count) || count < 1 || count > texts.length) return { invalid: 'numberOfResults must be between 1 and the number of sources.' };
  const results = (texts as string[])
    .map((text, index) => ({ index, relevanceScore: mockRelevance(query, text), document: { type: 'TEXT', textDocument: { text } } }))
    .sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index)
    .slice(0, count);
  return { answer: { results } };
}
