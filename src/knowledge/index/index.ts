export { Bm25Index, type Bm25Json, type Bm25Params } from './bm25-index.js';
export { ExactVectorIndex } from './exact-vector-index.js';
export { hybridSearch, type HybridSearchInput } from './hybrid-search.js';
export { reciprocalRankFusion } from './reciprocal-rank-fusion.js';
export type { SearchHit } from './search-hit.js';
export { createTokenizer, type Tokenize } from './tokenizer.js';
export { UsearchVectorIndex, type UsearchOptions } from './usearch-vector-index.js';
export type { VectorIndex } from './vector-index.js';
