import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import type { AdminClient } from '../tenancy/cli-client.js';
import { printJson, printTable, UsageError } from '../tenancy/cli.js';
import { bar, kbPath, mapLimit, ProgressLine, type KbCliIo } from './kb-support.js';

/** `baimo kb ingest`: upload files, directories and URLs, then follow each document to ready or failed. */

/** Extensions taken from directories (files named on the command line go up whatever they are). */
export const INGEST_EXTENSIONS = ['txt', 'md', 'markdown', 'html', 'htm', 'pdf', 'docx', 'csv', 'json'];

const CONTENT_TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
  json: 'application/json',
};

const UPLOAD_CONCURRENCY = 4;
const POLL_CONCURRENCY = 4;
export const POLL_INTERVAL_MS = 1000;
/** Consecutive failed status reads after which a document is reported failed. */
const POLL_ATTEMPTS = 3;

export interface IngestInput {
  /** The document name sent to the server: a URL, a file's base name, or its path under the directory given. */
  name: string;
  path?: string;
  url?: string;
}

interface DocumentJson {
  id: string;
  name: string;
  status: 'queued' | 'processing' | 'ready' | 'failed';
  progress?: { stage: string; done: number; total: number } | null;
  chunk_count?: number | null;
  error?: { code?: string; message?: string } | null;
}

interface Tracked {
  input: IngestInput;
  doc?: DocumentJson;
  /** Why the upload or the status reads failed (the server's own failures are in doc.error). */
  error?: string;
  done: boolean;
  pollErrors: number;
}

/** The inputs in command-line order; directories walked in name order, hidden entries skipped. */
export async function collectInputs(paths: readonly string[]): Promise<IngestInput[]> {
  const inputs: IngestInput[] = [];
  for (const path of paths) {
    if (/^https?:\/\//i.test(path)) {
      inputs.push({ name: path, url: path });
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`${path}: no such file or directory (nor an http(s) URL).`);
    if (info.isDirectory()) {
      for (const file of await walk(path)) inputs.push({ name: relative(path, file).split(sep).join('/'), path: file });
    } else {
      inputs.push({ name: basename(path), path });
    }
  }
  const seen = new Map<string, IngestInput>();
  for (const input of inputs) {
    const other = seen.get(input.name);
    if (other) throw new UsageError(`${other.path ?? other.url} and ${input.path ?? input.url} would both be named '${input.name}'; ingest them separately.`);
    seen.set(input.name, input);
  }
  return inputs;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    // Symbolic links are followed to files only, so a link cannot loop the walk.
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile() === true);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (isFile && INGEST_EXTENSIONS.includes(extensionOf(entry.name))) files.push(path);
  }
  return files;
}

function extensionOf(name: string): string {
  return extname(name).slice(1).toLowerCase();
}

async function upload(client: AdminClient, kb: string, input: IngestInput): Promise<DocumentJson> {
  if (input.url) return client.call<DocumentJson>('POST', kbPath(kb, '/documents'), { url: input.url });
  const bytes = await readFile(input.path!);
  const form = new FormData();
  const type = CONTENT_TYPES[extensionOf(input.path!)] ?? 'application/octet-stream';
  form.set('file', new Blob([bytes], { type }), basename(input.path!));
  form.set('name', input.name);
  return client.call<DocumentJson>('POST', kbPath(kb, '/documents'), form);
}

function settled(doc: DocumentJson): boolean {
  return doc.status === 'ready' || doc.status === 'failed';
}

function failed(t: Tracked): boolean {
  return t.error !== undefined || t.doc?.status === 'failed';
}

/** Chunks embedded so far and in all, as far as the documents' progress tells. */
function chunkCounts(tracked: readonly Tracked[]): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const { doc } of tracked) {
    if (!doc) continue;
    const p = doc.progress;
    if (doc.status === 'ready') {
      const n = doc.chunk_count ?? p?.total ?? 0;
      done += n;
      total += n;
    } else if (p && p.stage === 'embedding') {
      done += p.done;
      total += p.total;
    } else if (p && (p.stage === 'indexing' || p.stage === 'done')) {
      done += p.total;
      total += p.total;
    }
  }
  return { done, total };
}

function progressText(tracked: readonly Tracked[]): string {
  const finished = tracked.filter((t) => t.done).length;
  const chunks = chunkCounts(tracked);
  return `${bar(finished, tracked.length)} ${finished}/${tracked.length} documents · ${chunks.done}/${chunks.total} chunks embedded`;
}

/** Uploads (4 at a time), polls until every document is ready or failed, prints a summary. */
export async function ingest(client: AdminClient, io: KbCliIo, kb: string, paths: readonly string[], json: boolean): Promise<number> {
  if (paths.length === 0) throw new UsageError('kb ingest takes at least one PATH (a file, a directory or an http(s) URL).');
  const inputs = await collectInputs(paths);
  if (inputs.length === 0) throw new Error(`nothing to ingest: no ${INGEST_EXTENSIONS.join('/')} files under ${paths.join(', ')}.`);

  const tracked: Tracked[] = inputs.map((input) => ({ input, done: false, pollErrors: 0 }));
  const progress = new ProgressLine(io);
  const count = () => `[${tracked.filter((t) => t.done).length}/${tracked.length}]`;
  const finish = (t: Tracked) => {
    t.done = true;
    const reason = t.error ?? t.doc?.error?.message;
    progress.log(failed(t) ? `${count()} failed ${t.input.name}: ${reason ?? 'unknown error'}` : `${count()} ready ${t.input.name} (${t.doc?.chunk_count ?? 0} chunks)`);
  };
  const redraw = () => progress.update(progressText(tracked));
  redraw();

  let uploadsDone = false;
  const uploads = mapLimit(tracked, UPLOAD_CONCURRENCY, async (t) => {
    try {
      t.doc = await upload(client, kb, t.input);
      progress.log(`uploaded ${t.input.name} → ${t.doc.id} (${t.doc.status})`);
      if (settled(t.doc)) finish(t);
    } catch (err) {
      t.error = (err as Error).message;
      finish(t);
    }
    redraw();
  }).finally(() => {
    uploadsDone = true;
  });

  for (;;) {
    const pending = tracked.filter((t) => t.doc && !t.done);
    if (uploadsDone && pending.length === 0) break;
    await mapLimit(pending, POLL_CONCURRENCY, async (t) => {
      try {
        t.doc = await client.call<DocumentJson>('GET', kbPath(kb, `/documents/${encodeURIComponent(t.doc!.id)}`));
        t.pollErrors = 0;
        if (settled(t.doc)) finish(t);
      } catch (err) {
        if (++t.pollErrors >= POLL_ATTEMPTS) {
          t.error = `status unknown: ${(err as Error).message}`;
          finish(t);
        }
      }
    });
    redraw();
    if (uploadsDone && tracked.every((t) => t.done)) break;
    await Promise.race([io.sleep(POLL_INTERVAL_MS), uploadsDone ? undefined : uploads]);
  }
  await uploads;
  progress.clear();

  const anyFailed = tracked.some(failed);
  if (json) {
    printJson(io, { data: tracked.map((t) => t.doc ? { ...t.doc, ...(t.error ? { cli_error: t.error } : {}) } : { name: t.input.name, status: 'failed', cli_error: t.error }) });
    return anyFailed ? 1 : 0;
  }
  const rows = tracked.map((t) => ({
    name: t.input.name,
    status: t.error && t.doc?.status !== 'failed' ? 'failed' : (t.doc?.status ?? 'failed'),
    chunks: t.doc?.chunk_count ?? null,
    error: t.error ?? (t.doc?.error ? `${t.doc.error.message ?? ''}${t.doc.error.code ? ` (${t.doc.error.code})` : ''}` : null),
  }));
  printTable(io, ['NAME', 'STATUS', 'CHUNKS', 'ERROR'], rows, ['name', 'status', 'chunks', 'error']);
  const failures = tracked.filter(failed).length;
  io.stdout(`${tracked.length - failures} ready, ${failures} failed.\n`);
  return anyFailed ? 1 : 0;
}
