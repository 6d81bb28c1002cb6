import { parentPort } from 'node:worker_threads';
import { BaimoError } from '../../protocol/errors.js';
import { chunkDocument, dedupeChunks } from '../chunk/index.js';
import { parseDocument } from '../parse/index.js';
import type { ChunkRequest, ChunkReply } from './chunk-off-thread.js';

/**
 * Worker thread: parses and chunks one document at a time, so a large PDF never blocks the
 * server's event loop. Failures travel back as plain data and become BaimoErrors again.
 */
parentPort!.on('message', async (req: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const parsed = await parseDocument({ bytes: Buffer.from(req.bytes), filename: req.filename, contentType: req.contentType });
    const chunks = dedupeChunks(chunkDocument(parsed, req.chunking));
    reply = { id: req.id, ok: true, format: parsed.format, chunks };
  } catch (err) {
    reply = BaimoError.is(err)
      ? { id: req.id, ok: false, error: { kind: err.kind, status: err.status, code: err.code, message: err.message } }
      : { id: req.id, ok: false, error: { kind: 'internal', status: 500, code: 'internal_error', message: err instanceof Error ? err.message : String(err) } };
  }
  parentPort!.postMessage(reply);
});
