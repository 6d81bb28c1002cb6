import type { SearchHit } from '../index/search-hit.js';
import type { VectorStore } from '../store/vector-store.js';
import type { KbIndexCache } from './kb-index-cache.js';

/**
 * Vectors searched in process (embedded mode; PostgreSQL without pgvector): the KB index cache
 * keeps an HNSW index per KB in step with the chunk table, so the write hooks have nothing to do.
 */
export function createMemoryVectorStore(cache: KbIndexCache): VectorStore {
  return {
    kind: 'memory',
    added: async () => {},
    removed: async () => {},
    async search(kbId, vector, k, allowed): Promise<SearchHit[]> {
      const { vectors } = await cache.get(kbId);
      if (!vectors || vectors.size === 0) return [];
      if (!allowed) return vectors.search(vector, k);
      // Filtered: over-fetch, and fall back to the whole index when the filter is very selective.
      let want = Math.min(vectors.size, Math.max(k * 20, 400));
      for (;;) {
        const hits = vectors.search(vector, want).filter((h) => allowed.has(h.id));
        if (hits.length >= k || want >= vectors.size) return hits.slice(0, k);
        want = vectors.size;
      }
    },
    drop: (kbId) => cache.drop(kbId),
    close: () => cache.close(),
  };
}
