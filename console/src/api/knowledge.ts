import { readSseData, type ChatMessage } from './chat-stream';
import type { ApiClient, Query } from './client';

/**
 * Knowledge bases (docs/knowledge.md): KBs, their documents, search and grounded chat. A console
 * user acts in one of their orgs (`x-baimo-org`: the org a KB belongs to); the operator's client
 * carries the master key and names the org in the body when creating a KB.
 */

export interface KnowledgeBase {
  id: string;
  object: 'knowledge_base';
  org_id: string;
  name: string;
  description: string | null;
  embedding_model: string;
  embedding_dimensions: number | null;
  chunking: { max_tokens: number; overlap_tokens: number };
  rerank_model: string | null;
  document_count: number;
  chunk_count: number;
  /** Unix seconds. */
  created_at: number;
}

export type DocumentStatus = 'queued' | 'processing' | 'ready' | 'failed';
export type DocumentStage = 'queued' | 'fetching' | 'parsing' | 'embedding' | 'indexing' | 'done';

export interface KbDocument {
  id: string;
  object: 'knowledge_base.document';
  knowledge_base_id: string;
  name: string;
  /** `upload` or the URL it was fetched from. */
  source: string;
  format: string | null;
  bytes: number;
  metadata: Record<string, unknown>;
  status: DocumentStatus;
  progress: { stage: DocumentStage; done: number; total: number };
  chunk_count: number;
  error: { code: string; message: string } | null;
  created_at: number;
  updated_at: number;
}

export interface Citation {
  document_id: string;
  document_name: string;
  source: string;
  page: number | null;
  heading_path: string[];
  start: number;
  end: number;
}

export interface Hit {
  chunk_id: string;
  document_id: string;
  document_name: string;
  text: string;
  score: number;
  scores: Partial<Record<'keyword' | 'vector' | 'rerank', number>>;
  citation: Citation;
}

/** A chat citation: the hit that `[index]` in the answer refers to. */
export interface ChatCitation extends Hit {
  index: number;
}

export type SearchMode = 'hybrid' | 'vector' | 'keyword';
export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'vector', 'keyword'];

export interface SearchInput {
  query: string;
  top_k?: number;
  mode?: SearchMode;
  rerank?: boolean;
}

export interface CreateKbInput {
  name: string;
  description?: string;
  embedding_model: string;
  rerank_model?: string;
  chunking?: { max_tokens?: number; overlap_tokens?: number };
}

const KB = '/v1/knowledge_bases';
const kbPath = (kb: string) => `${KB}/${encodeURIComponent(kb)}`;
const orgHeader = (orgId: string | undefined): Record<string, string> => (orgId ? { 'x-baimo-org': orgId } : {});

async function call<T>(api: ApiClient, method: string, path: string, opts: { orgId?: string; body?: unknown; query?: Query } = {}): Promise<T> {
  const isForm = opts.body instanceof FormData;
  const response = await api.fetch(path, {
    method,
    query: opts.query,
    headers: { ...orgHeader(opts.orgId), ...(opts.body === undefined || isForm ? {} : { 'content-type': 'application/json' }) },
    body: opts.body === undefined ? undefined : isForm ? (opts.body as FormData) : JSON.stringify(opts.body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The KBs of one org (the admin listing serves the operator and console users alike). */
export const listKbs = async (api: ApiClient, orgId: string) =>
  (await call<{ data: KnowledgeBase[] }>(api, 'GET', '/admin/v1/knowledge_bases', { query: { org_id: orgId } })).data;

/** The operator names the org in the body; a console user in `x-baimo-org`. */
export const createKb = (api: ApiClient, orgId: string, asOperator: boolean, input: CreateKbInput) =>
  call<KnowledgeBase>(api, 'POST', KB, { orgId, body: asOperator ? { ...input, org_id: orgId } : input });

export const getKb = (api: ApiClient, kb: string) => call<KnowledgeBase>(api, 'GET', kbPath(kb));
export const deleteKb = (api: ApiClient, kb: KnowledgeBase) => call<{ deleted: true }>(api, 'DELETE', kbPath(kb.id), { orgId: kb.org_id });

export const listDocuments = async (api: ApiClient, kb: KnowledgeBase) =>
  (await call<{ data: KbDocument[] }>(api, 'GET', `${kbPath(kb.id)}/documents`, { orgId: kb.org_id })).data;

/** One file per request, in the multipart field `file`. */
export function uploadDocument(api: ApiClient, kb: KnowledgeBase, file: File): Promise<KbDocument> {
  const form = new FormData();
  form.append('file', file, file.name);
  return call<KbDocument>(api, 'POST', `${kbPath(kb.id)}/documents`, { orgId: kb.org_id, body: form });
}

export const addDocumentUrl = (api: ApiClient, kb: KnowledgeBase, url: string) =>
  call<KbDocument>(api, 'POST', `${kbPath(kb.id)}/documents`, { orgId: kb.org_id, body: { url } });

export const deleteDocument = (api: ApiClient, kb: KnowledgeBase, docId: string) =>
  call<{ deleted: true }>(api, 'DELETE', `${kbPath(kb.id)}/documents/${encodeURIComponent(docId)}`, { orgId: kb.org_id });

export const searchKb = async (api: ApiClient, kb: KnowledgeBase, input: SearchInput) =>
  (await call<{ data: Hit[] }>(api, 'POST', `${kbPath(kb.id)}/search`, { orgId: kb.org_id, body: input })).data;

export interface KbChatInput {
  api: ApiClient;
  kb: KnowledgeBase;
  model: string;
  messages: ChatMessage[];
  retrieval?: Omit<SearchInput, 'query'>;
  signal?: AbortSignal;
  /** Called with the citations (first chunk) and the text so far as deltas arrive. */
  onUpdate: (answer: { text: string; citations: ChatCitation[] }) => void;
}

interface KbChunk {
  citations?: ChatCitation[];
  choices?: { delta?: { content?: string | null } }[];
  error?: { message?: string };
}

/** A grounded, streaming chat: the first chunk carries the citations, `[n]` in the text points at them. */
export async function streamKbChat(input: KbChatInput): Promise<{ text: string; citations: ChatCitation[] }> {
  const response = await input.api.fetch(`${kbPath(input.kb.id)}/chat`, {
    method: 'POST',
    signal: input.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...orgHeader(input.kb.org_id) },
    body: JSON.stringify({ model: input.model, messages: input.messages, stream: true, ...input.retrieval }),
  });
  const answer = { text: '', citations: [] as ChatCitation[] };
  await readSseData(response, (data) => {
    const chunk = JSON.parse(data) as KbChunk;
    if (chunk.error) throw new Error(chunk.error.message ?? 'stream error');
    if (chunk.citations) answer.citations = chunk.citations;
    answer.text += chunk.choices?.[0]?.delta?.content ?? '';
    input.onUpdate({ ...answer });
  });
  return answer;
}
