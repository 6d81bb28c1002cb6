import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BaimoError, type ErrorKind } from '../../protocol/errors.js';
import { chunkDocument, dedupeChunks, type Chunk, type ChunkOptions } from '../chunk/index.js';
import { parseDocument, type DocumentFormat, type DocumentInput } from '../parse/index.js';

/**
 * Parse + chunk a document on a worker thread. Parsing a large PDF or DOCX is seconds of
 * synchronous work; on the server's own thread it would stall every request meanwhile. One
 * worker, documents one at a time (ingestion concurrency is already bounded); a crashed worker is
 * replaced. When the compiled worker file is absent (running from TypeScript sources without a
 * build) it falls back to the calling thread.
 */

export type ChunkDocumentFn = (input: DocumentInput, chunking: ChunkOptions) => Promise<{ format: DocumentFormat; chunks: Chunk[] }>;

export interface ChunkRequest {
  id: number;
  bytes: Uint8Array;
  filename?: string;
  contentType?: string;
  chunking: ChunkOptions;
}

export type ChunkReply =
  | { id: number; ok: true; format: DocumentFormat; chunks: Chunk[] }
  | { id: number; ok: false; error: { kind: string; status: number; code: string; message: string } };

export const chunkOnThisThread: ChunkDocumentFn = async (input, chunking) => {
  const parsed = await parseDocument(input);
  return { format: parsed.format, chunks: dedupeChunks(chunkDocument(parsed, chunking)) };
};

/** The compiled worker beside this module; from sources (tests), the build's copy under dist/. */
function workerFile(): string | undefined {
  const here = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
  const candidates = [here, here.replace(/([\\/])src([\\/]knowledge[\\/]ingest[\\/])/, '$1dist$1src$2')];
  return candidates.find((f) => existsSync(f));
}

export function createOffThreadChunker(): { mode: 'worker' | 'inline'; chunk: ChunkDocumentFn; close(): Promise<void> } {
  const file = workerFile();
  if (!file) return { mode: 'inline', chunk: chunkOnThisThread, close: async () => {} };
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: ChunkReply) => void; reject: (e: Error) => void }>();

  const start = (): Worker => {
    const w = new Worker(file);
    w.unref();
    w.on('message', (reply: ChunkReply) => {
      pending.get(reply.id)?.resolve(reply);
      pending.delete(reply.id);
    });
    const fail = (err: Error) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (worker === w) worker = undefined;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the document parser worker exited (code ${code})`)));
    return w;
  };

  return {
    mode: 'worker',
    async chunk(input, chunking) {
      worker ??= start();
      const id = nextId++;
      const bytes = new Uint8Array(input.bytes); // a copy the worker may own
      const reply = await new Promise<ChunkReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage({ id, bytes, filename: input.filename, contentType: input.contentType, chunking } satisfies ChunkRequest, [bytes.buffer]);
      });
      if (reply.ok) return { format: reply.format, chunks: reply.chunks };
      throw new BaimoError(reply.error.kind as ErrorKind, reply.error.message, { status: reply.error.status, code: reply.error.code });
    },
    async close() {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
