import { close, fsync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The journal's segment files (journal.ts): naming, reading back, and the synchronous writes and
 * fsyncs behind `append`'s durability. A segment is `<name>-<12-digit seq>.jsonl`.
 */

export const SEQ_DIGITS = 12;

/** Lines that parse and pass `parse`; anything else is reported (torn = the file's unterminated tail). */
export function readSegment<T>(path: string, parse: (value: unknown) => T | undefined, onSkip: (line: number, torn: boolean) => void): T[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const items: T[] = [];
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    let item: T | undefined;
    try {
      item = parse(JSON.parse(text));
    } catch {
      item = undefined;
    }
    if (item === undefined) onSkip(index + 1, index === lines.length - 1);
    else items.push(item);
  });
  return items;
}

export function listSegments(dir: string, name: string): { seq: number; path: string }[] {
  const pattern = new RegExp(`^${name}-(\\d{${SEQ_DIGITS}})\\.jsonl$`);
  return readdirSync(dir)
    .map((file) => ({ match: pattern.exec(file), file }))
    .filter((f) => f.match !== null)
    .map((f) => ({ seq: Number(f.match![1]), path: join(dir, f.file) }))
    .sort((a, b) => a.seq - b.seq);
}

/**
 * Write a whole line; returns its size in bytes. The string goes to write() as it is (no Buffer
 * per line on the request path); a short write, which regular files hardly ever do, is finished
 * from the line's bytes.
 */
export function writeLine(fd: number, line: string): number {
  const written = writeSync(fd, line);
  const size = Buffer.byteLength(line, 'utf8');
  if (written < size) writeFully(fd, Buffer.from(line, 'utf8'), written);
  return size;
}

function writeFully(fd: number, bytes: Buffer, from = 0): void {
  let offset = from;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

export function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()));
}

/** A new segment's directory entry must reach the disk too, or a power cut can lose the file. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await openFile(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the file data itself was synced.
  } finally {
    await handle?.close();
  }
}
