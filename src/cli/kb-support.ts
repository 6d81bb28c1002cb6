import { defaultIo, type CliIo } from '../tenancy/cli.js';

/** What `baimo kb` touches beyond the other admin CLIs: whether stderr is a terminal, and time. */
export interface KbCliIo extends CliIo {
  /** True when stderr is a terminal: progress is then one line redrawn in place. */
  stderrIsTTY: boolean;
  sleep: (ms: number) => Promise<void>;
}

export function defaultKbIo(): KbCliIo {
  return {
    ...defaultIo(),
    stderrIsTTY: process.stderr.isTTY === true,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** Hit of `POST /v1/knowledge_bases/{kb}/search` (docs/knowledge.md), the fields the CLI reads. */
export interface SearchHitJson {
  chunk_id: string;
  document_id: string;
  document_name: string;
  text: string;
  score: number;
  scores?: Record<string, number>;
  citation?: { page?: number | null; heading_path?: string[] | null; source?: string };
}

export interface KnowledgeBaseJson {
  id: string;
  name: string;
  rerank_model: string | null;
  [field: string]: unknown;
}

/** `/v1/knowledge_bases/{kb}`, with the id or name escaped. */
export function kbPath(kb: string, rest = ''): string {
  return `/v1/knowledge_bases/${encodeURIComponent(kb)}${rest}`;
}

/**
 * Runs fn over items with at most `limit` calls in flight; results keep the items' order. After a
 * call throws, no new call starts and the first error is rethrown once the running ones settle.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

/**
 * Progress on stderr: on a terminal one line redrawn in place (`update`, while `log` is silent);
 * elsewhere (a log file, CI) `update` is silent and `log` prints plain lines.
 */
export class ProgressLine {
  private shown = false;

  constructor(private readonly io: KbCliIo) {}

  update(line: string): void {
    if (!this.io.stderrIsTTY) return;
    this.io.stderr(`\r${line}\x1b[K`);
    this.shown = true;
  }

  log(line: string): void {
    if (!this.io.stderrIsTTY) this.io.stderr(`${line}\n`);
  }

  /** Removes the line, before the command prints its result. */
  clear(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }
}

/** `[██████░░░░░░]`: a fraction as a bar of `width` cells. */
export function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}
