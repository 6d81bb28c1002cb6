import type { RetrievedChunk } from './retrieval/retriever.js';
import type { KbDocument } from './store/document-repo.js';
import type { KnowledgeBase } from './store/kb-repo.js';

/** The API's objects (docs/knowledge.md), built from rows in one place. */

const seconds = (ms: number) => Math.floor(ms / 1000);

export function kbView(kb: KnowledgeBase, stats?: { documents: number; chunks: number }) {
  return {
    id: kb.id,
    object: 'knowledge_base' as const,
    org_id: kb.org_id,
    name: kb.name,
    description: kb.description,
    embedding_model: kb.embedding_model,
    embedding_dimensions: kb.embedding_dimensions,
    chunking: { max_tokens: kb.max_tokens, overlap_tokens: kb.overlap_tokens },
    rerank_model: kb.rerank_model,
    document_count: stats?.documents ?? 0,
    chunk_count: stats?.chunks ?? 0,
    created_at: seconds(kb.created_at),
  };
}

export function documentView(doc: KbDocument) {
  return {
    id: doc.id,
    object: 'knowledge_base.document' as const,
    knowledge_base_id: doc.kb_id,
    name: doc.name,
    source: doc.source,
    format: doc.format,
    bytes: Number(doc.bytes),
    metadata: JSON.parse(doc.metadata) as Record<string, unknown>,
    status: doc.status,
    progress: { stage: doc.stage, done: doc.progress_done, total: doc.progress_total },
    chunk_count: doc.chunk_count,
    error: doc.error_code ? { code: doc.error_code, message: doc.error_message ?? '' } : null,
    created_at: seconds(doc.created_at),
    updated_at: seconds(doc.updated_at),
  };
}

export type Hit = ReturnType<typeof hitView>;

export function hitView(r: RetrievedChunk) {
  const c = r.chunk;
  return {
    chunk_id: c.id,
    document_id: c.document_id,
    document_name: c.document_name,
    text: c.text,
    score: r.score,
    scores: r.scores,
    citation: {
      document_id: c.document_id,
      document_name: c.document_name,
      source: c.source,
      page: c.page,
      heading_path: c.heading_path,
      start: c.start,
      end: c.end,
    },
  };
}
