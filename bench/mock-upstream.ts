import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { announcePort, exitWithParent } from './child-lifecycle.js';
import { FIRST_TOKEN } from './jobs.js';

/**
 * A fast OpenAI-compatible upstream for `npm run bench`. Every answer is precomputed so the mock
 * costs the same for every target and the differences between targets are the proxies' own cost.
 * Streams send the first content token as soon as the headers go out, so time to first token
 * measures the path through the proxy, not the mock.
 */

const LATER_TOKENS = [' from', ' the', ' bench', ' mock.'];
/** Gap between later chunks: short enough that 200 streams take about a second. */
const CHUNK_GAP_MS = 1;

const created = 1_700_000_000;
const id = 'chatcmpl-bench';
const model = 'mock-model';

const completion = Buffer.from(
  JSON.stringify({
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: FIRST_TOKEN + LATER_TOKENS.join('') },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  }),
);

function sse(delta: object, finish: string | null = null, extra: object = {}): Buffer {
  const chunk = { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra };
  return Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`);
}

const firstChunks = Buffer.concat([sse({ role: 'assistant', content: '' }), sse({ content: FIRST_TOKEN })]);
const laterChunks = LATER_TOKENS.map((t) => sse({ content: t }));
const lastChunks = Buffer.concat([
  sse({}, 'stop'),
  Buffer.from(
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } })}\n\n`,
  ),
  Buffer.from('data: [DONE]\n\n'),
]);

const models = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', created, owned_by: 'bench' }] }));

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) {
      // A substring test, not JSON.parse: the mock must stay cheap next to the proxies it measures.
      if (/"stream"\s*:\s*true/.test(Buffer.concat(chunks).toString('latin1'))) return stream(res);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length });
      return void res.end(completion);
    }
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': models.length });
      return void res.end(models);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
  });
}

function stream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(firstChunks);
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i < laterChunks.length) {
      res.write(laterChunks[i++]);
      setTimeout(next, CHUNK_GAP_MS);
    } else {
      res.end(lastChunks);
    }
  };
  setTimeout(next, CHUNK_GAP_MS);
}

function main(): void {
  const server = createServer({ keepAliveTimeout: 60_000 }, handle);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    announcePort(address.port);
  });
  exitWithParent(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
}

main();
