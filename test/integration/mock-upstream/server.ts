import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted upstream for integration tests: a real HTTP server on 127.0.0.1 that plays back
 * whatever wire bytes a test queues — JSON, SSE frames (optionally slow), hangs, resets before or
 * in the middle of a stream — and records every request it received (path, headers, parsed body)
 * and whether the caller aborted it. Unscripted requests get an OpenAI-compatible echo answer.
 */

export type Behaviour =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; body: string; headers?: Record<string, string> }
  | {
      kind: 'sse';
      /** Raw SSE frames, written as given (include the `data: ` prefix and blank lines). */
      frames: string[];
      status?: number;
      delayMs?: number;
      /** Destroy the socket after this many frames (reset mid-stream). */
      resetAfter?: number;
      /** After this many frames, stop writing and keep the connection open (hang mid-stream). */
      hangAfter?: number;
      headers?: Record<string, string>;
    }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Destroy the socket without answering. */
  | { kind: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** Set when the caller closed the connection before the response ended. */
  aborted: boolean;
}

export interface MockUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Queue behaviours for requests whose path ends with `pathSuffix` (or any path with '*'). */
  enqueue(pathSuffix: string, ...behaviours: Behaviour[]): void;
  /** Resolves once `n` recorded requests have `aborted` set. */
  waitForAborts(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface MockOptions {
  /** Gap between frames of the default (echo) streams, to make streams slow enough to cut. */
  echoStreamDelayMs?: number;
  /** Vectors for the default embeddings answer (else simple constant vectors). */
  embed?: (text: string) => number[];
  /** Delay of the default embeddings answer (slow ingestion for crash tests). */
  embedDelayMs?: number;
  /** Relevance of a document to a query for the default rerank answer. */
  rerank?: (query: string, document: string) => number;
}

export async function startMockUpstream(opts: MockOptions = {}): Promise<MockUpstream> {
  const queues = new Map<string, Behaviour[]>();
  const requests: RecordedRequest[] = [];
  const abortWaiters: (() => void)[] = [];

  const take = (path: string): Behaviour | undefined => {
    for (const [suffix, queue] of queues) {
      if ((suffix === '*' || path.endsWith(suffix)) && queue.length > 0) return queue.shift();
    }
    return undefined;
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: safeJson(text),
      aborted: false,
    };
    requests.push(record);
    res.once('close', () => {
      if (!res.writableFinished) {
        record.aborted = true;
        abortWaiters.splice(0).forEach((w) => w());
      }
    });
    const scripted = take(record.path);
    if (!scripted && opts.embedDelayMs && record.path.endsWith('/embeddings')) await new Promise((r) => setTimeout(r, opts.embedDelayMs));
    await play(scripted ?? echo(record, opts), req, res);
  });
  const listening = await listenLocal(server);

  return {
    url: listening.url,
    requests,
    enqueue(pathSuffix, ...behaviours) {
      const q = queues.get(pathSuffix) ?? [];
      q.push(...behaviours);
      queues.set(pathSuffix, q);
    },
    async waitForAborts(n, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.filter((r) => r.aborted).length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} aborted upstream requests, saw ${requests.filter((r) => r.aborted).length}`);
        await new Promise<void>((resolve) => {
          abortWaiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: listening.close,
  };
}

async function play(b: Behaviour, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (b.kind) {
    case 'json':
      res.writeHead(b.status ?? 200, { 'content-type': 'application/json', ...b.headers });
      res.end(JSON.stringify(b.body));
      return;
    case 'text':
      res.writeHead(b.status, { 'content-type': 'text/plain', ...b.headers });
      res.end(b.body);
      return;
    case 'hang':
      return; // the socket stays open until the caller gives up
    case 'reset':
      req.socket.destroy();
      return;
    case 'sse': {
      res.writeHead(b.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...b.headers });
      res.flushHeaders();
      for (let i = 0; i < b.frames.length; i++) {
        if (b.delayMs && i > 0) await new Promise((r) => setTimeout(r, b.delayMs));
        if (b.resetAfter !== undefined && i === b.resetAfter) {
          req.socket.destroy();
          return;
        }
        if (b.hangAfter !== undefined && i === b.hangAfter) return;
        if (res.destroyed) return;
        res.write(b.frames[i]);
      }
      if (b.resetAfter !== undefined && b.resetAfter >= b.frames.length) {
        req.socket.destroy();
        return;
      }
      res.end();
      return;
    }
  }
}

/** Default answer: an OpenAI-compatible echo of the last user message (chat), or simple vectors (embeddings). */
function echo(r: RecordedRequest, opts: MockOptions): Behaviour {
  const body = r.body ?? {};
  if (r.path.endsWith('/embeddings')) {
    const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
    return {
      kind: 'json',
      body: {
        object: 'list',
        model: body.model,
        data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: opts.embed ? opts.embed(String(input)) : [0.1 * (index + 1), 0.2, 0.3] })),
        usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 },
      },
    };
  }
  if (r.path.endsWith('/rerank') && opts.rerank) {
    const docs: unknown[] = Array.isArray(body.documents) ? body.documents : [];
    const results = docs
      .map((d, index) => ({ index, relevance_score: opts.rerank!(String(body.query), typeof d === 'string' ? d : String((d as { text?: string }).text)) }))
      .sort((a, b) => b.relevance_score - a.relevance_score);
    return { kind: 'json', body: { id: 'rerank-echo', model: body.model, results, usage: { total_tokens: docs.length * 10 } } };
  }
  const last = Array.isArray(body.messages) ? body.messages[body.messages.length - 1] : undefined;
  const text = `echo: ${typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '')}`;
  if (body.stream) {
    const base = { id: 'chatcmpl-echo', object: 'chat.completion.chunk', created: 1760000000, model: body.model };
    const frames = [
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`,
      ...text.split(/(?<= )/).map((piece) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`),
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
    ];
    if (body.stream_options?.include_usage) {
      frames.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } })}\n\n`);
    }
    frames.push('data: [DONE]\n\n');
    return { kind: 'sse', frames, delayMs: opts.echoStreamDelayMs };
  }
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-echo',
      object: 'chat.completion',
      created: 1760000000,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/**
 * Listen on an ephemeral loopback port, tracking sockets so `close()` ends keep-alive connections
 * at once instead of waiting for them (shared by the mock upstreams).
 */
export async function listenLocal(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
