import { createHash } from 'node:crypto';
import { RetryLater, type Job, type JobContext, type JobHandler } from '../../jobs/queue.js';
import { BaimoError } from '../../protocol/errors.js';
import { countTokens } from '../chunk/index.js';
import { detectFormat, type DocumentFormat } from '../parse/index.js';
import { chunkOnThisThread, type ChunkDocumentFn } from './chunk-off-thread.js';
import type { DocumentRepo, KbDocument } from '../store/document-repo.js';
import type { KbRepo } from '../store/kb-repo.js';
import { bytesToVector } from '../store/vector-bytes.js';
import { embedBatches, EmbeddingFailed, type EmbedCall } from '../embed/embed-batches.js';
import { indexTextOf } from '../retrieval/index-text.js';

/**
 * The ingestion job of one document: fetch (URLs) → parse → chunk → embed → commit. Each stage
 * leaves a checkpoint in the database (source bytes, staged chunks, embeddings per batch), so a
 * job resumed after a crash continues where it stopped and never pays twice for an embedding.
 * A document that cannot be fetched or parsed is marked failed with the reason; the job itself
 * succeeds (nothing to retry). Transient embedding failures retry the job later.
 */

export const INGEST_JOB = 'kb.ingest';

export interface IngestPayload {
  documentId: string;
}

export interface FetchedDocument {
  bytes: Buffer;
  contentType: string;
}

export interface IngestDeps {
  docs: DocumentRepo;
  kbs: KbRepo;
  /** Embeddings on the org's behalf through the platform's own path (metered, limited). */
  embedFor: (orgId: string, model: string) => EmbedCall;
  /** SSRF-guarded fetch of a tenant URL. */
  fetchUrl: (url: string, signal: AbortSignal) => Promise<FetchedDocument>;
  /** Parse + chunk (off the event loop in production); default: on this thread. */
  chunk?: ChunkDocumentFn;
  /** Called when a document's chunks were committed (refresh indexes early). */
  onCommitted?: (kbId: string) => void;
  embedConcurrency?: number;
  embedBatchSize?: number;
  log: (message: string, err?: unknown) => void;
}

const CONTENT_TYPE: Record<DocumentFormat, string> = {
  txt: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
  json: 'application/json',
};

export function createIngestHandler(deps: IngestDeps): JobHandler {
  return async (job: Job, { signal }: JobContext) => {
    const { documentId } = job.payload as IngestPayload;
    const doc = await deps.docs.get(documentId);
    if (!doc || doc.status === 'ready' || doc.status === 'failed') return; // deleted meanwhile, or already done
    const kb = await deps.kbs.find(doc.kb_id, null);
    if (!kb) return;
    try {
      await ingest(deps, doc, kb.embedding_model, { maxTokens: kb.max_tokens, overlapTokens: kb.overlap_tokens }, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof EmbeddingFailed) {
        if (err.transient) throw new RetryLater(`embedding failed: ${err.message}`);
        return deps.docs.fail(doc.id, describe(err.cause, 'embedding_failed'));
      }
      if (BaimoError.is(err) && err.status < 500) return deps.docs.fail(doc.id, describe(err, 'document_parse_failed'));
      throw err;
    }
  };
}

async function ingest(deps: IngestDeps, doc: KbDocument, model: string, chunking: { maxTokens: number; overlapTokens: number }, signal: AbortSignal): Promise<void> {
  let staged = await deps.docs.pendingCount(doc.id);
  if (staged.total === 0) {
    let bytes = await deps.docs.source(doc.id);
    let format = doc.format as DocumentFormat | null;
    if (!bytes) {
      await deps.docs.setStage(doc.id, 'fetching');
      const fetched = await deps.fetchUrl(doc.source, signal);
      bytes = fetched.bytes;
      format = detectFormat({ bytes, filename: new URL(doc.source).pathname, contentType: fetched.contentType }) ?? null;
      await deps.docs.saveFetched(doc.id, { bytes, contentHash: createHash('sha256').update(bytes).digest('hex') });
    }
    await deps.docs.setStage(doc.id, 'parsing', undefined, format ?? undefined);
    const parsed = await (deps.chunk ?? chunkOnThisThread)(
      { bytes, filename: doc.name, contentType: format ? CONTENT_TYPE[format] : undefined },
      { ...chunking, source: doc.source === 'upload' ? doc.name : doc.source },
    );
    const { chunks } = parsed;
    if (chunks.length === 0) throw new BaimoError('validation', `'${doc.name}' contains no text to index.`, { status: 400, code: 'document_empty' });
    await deps.docs.setStage(doc.id, 'parsing', undefined, parsed.format);
    await deps.docs.stageChunks(doc.id, chunks);
    staged = { total: chunks.length, embedded: 0 };
  }
  if (signal.aborted) throw signal.reason;

  await deps.docs.setStage(doc.id, 'embedding', { done: staged.embedded, total: staged.total });
  let todo = await deps.docs.unembedded(doc.id);
  // Text already embedded elsewhere in this KB (another document, an earlier version) is not paid for again.
  const known = await deps.docs.embeddingsByHash(doc.kb_id, [...new Set(todo.map((c) => c.hash))]);
  let embedded = staged.embedded;
  const reused = todo.filter((c) => known.has(c.hash));
  if (reused.length > 0) {
    embedded += reused.length;
    await deps.docs.saveEmbeddings(doc.id, reused.map((c) => ({ ordinal: c.ordinal, vector: bytesToVector(known.get(c.hash)!) })), embedded);
    todo = todo.filter((c) => !known.has(c.hash));
  }
  let dims: number | undefined = known.size > 0 ? bytesToVector(known.values().next().value!).length : undefined;
  const call = deps.embedFor(doc.org_id, model);
  await embedBatches(
    todo.map((c) => ({ key: c.ordinal, text: indexTextOf(c.text, JSON.parse(c.heading_path) as string[]) })),
    call,
    {
      signal,
      countTokens,
      concurrency: deps.embedConcurrency ?? 2,
      maxBatchSize: Math.min(deps.embedBatchSize ?? 64, call.maxBatchSize ?? Infinity),
      onBatch: async (items) => {
        for (const item of items) {
          if (dims === undefined) dims = item.vector.length;
          else if (item.vector.length !== dims) throw dimensionMismatch(dims, item.vector.length);
        }
        embedded += items.length;
        await deps.docs.saveEmbeddings(doc.id, items.map((i) => ({ ordinal: i.key, vector: i.vector })), embedded);
      },
    },
  );
  if (signal.aborted) throw signal.reason;

  await deps.docs.setStage(doc.id, 'indexing', { done: staged.total, total: staged.total });
  const current = await deps.docs.get(doc.id);
  if (!current) return; // deleted while embedding
  const result = await deps.docs.commit(current, dims, (trx, d) => deps.kbs.claimDimensions(trx, doc.kb_id, d));
  if ('mismatch' in result) {
    throw new BaimoError('validation', `The embedding model returned ${dims}-dimensional vectors, but this knowledge base holds vectors of another size.`, {
      status: 400,
      code: 'embedding_dimensions_mismatch',
    });
  }
  deps.onCommitted?.(doc.kb_id);
}

const dimensionMismatch = (expected: number, got: number) =>
  new EmbeddingFailed(
    new BaimoError('validation', `The embedding model returned vectors of ${got} dimensions after ${expected}.`, { status: 400, code: 'embedding_dimensions_mismatch' }),
    false,
  );

function describe(err: unknown, fallback: string): { code: string; message: string } {
  if (BaimoError.is(err)) return { code: err.code, message: err.message };
  return { code: fallback, message: err instanceof Error ? err.message : String(err) };
}
