import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import hashNode from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { encodeEventStream, type EventLine } from '../../support/aws-event-stream.js';
import { echoEmbeddings } from './bedrock-invoke.js';
import { echoRerank } from './bedrock-rerank.js';
import { listenLocal } from './server.js';

/**
 * A mock AWS Bedrock runtime (CATALOG.md §5) for integration tests: a real HTTP server that
 * speaks Converse and ConverseStream — JSON bodies, binary event-stream framing (written in small
 * chunks that cut frames anywhere), `{"message"}` errors with `x-amzn-ErrorType` — InvokeModel
 * for the embedding models (bedrock-invoke.ts), and the Agent Runtime's `POST /rerank`
 * (bedrock-rerank.ts; served on the same origin, as behind a proxy, under any path prefix), and
 * checks every request's auth the way AWS does:
 *  - `Authorization: Bearer <key>` must be one of the known Bedrock API keys;
 *  - SigV4 is verified by re-signing the request as received (method, raw path, the signed
 *    headers, the body bytes, the `x-amz-date` it claims) with the credentials on file for its
 *    access key id, and comparing; the body hash must match `x-amz-content-sha256`.
 * A bad one is refused with 403 and the error AWS sends (InvalidSignatureException,
 * UnrecognizedClientException, AccessDeniedException). Unscripted calls get an echo answer.
 */

export type BedrockBehaviour =
  | { kind: 'converse'; body: unknown }
  /** A 200 JSON answer to InvokeModel (`/invoke`) or Rerank (`/rerank`). */
  | { kind: 'invoke'; body: unknown }
  | { kind: 'events'; lines: EventLine[]; chunkSize?: number }
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> };

export interface BedrockRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** How the request authenticated: `sigv4`, `bearer`, or `rejected`. */
  auth: 'sigv4' | 'bearer' | 'rejected';
}

export interface MockBedrock {
  url: string;
  requests: BedrockRequest[];
  /** Queue behaviours for requests whose path ends with `pathSuffix` (e.g. `/converse-stream`, or a whole `/model/…/converse`). */
  enqueue(pathSuffix: string, ...behaviours: BedrockBehaviour[]): void;
  close(): Promise<void>;
}

export interface MockBedrockOptions {
  /** SigV4 credentials AWS knows, by access key id. */
  credentials: Record<string, { secretAccessKey: string; sessionToken?: string }>;
  /** Bedrock API keys AWS knows. */
  apiKeys: string[];
  /** The region requests must be signed for. */
  region: string;
}

export async function startMockBedrock(opts: MockBedrockOptions): Promise<MockBedrock> {
  const queues = new Map<string, BedrockBehaviour[]>();
  const requests: BedrockRequest[] = [];

  const take = (path: string): BedrockBehaviour | undefined => {
    for (const [suffix, queue] of queues) {
      if (path.endsWith(suffix) && queue.length > 0) return queue.shift();
    }
    return undefined;
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = req.url ?? '/';
    const refusal = await checkAuth(req, path, raw, opts);
    const record: BedrockRequest = { path, headers: req.headers, body: safeJson(raw.toString('utf8')), auth: refusal ? 'rejected' : authMode(req) };
    requests.push(record);
    if (refusal) return sendError(res, { kind: 'error', status: 403, ...refusal });
    if (!/^\/model\/[^/]+\/(converse(-stream)?|invoke)$/.test(path) && !/^(\/[\w-]+)*\/rerank$/.test(path)) {
      return sendError(res, { kind: 'error', status: 404, type: 'UnknownOperationException', message: 'Unknown operation.' });
    }
    const scripted = take(path);
    if (scripted) return play(scripted, res);
    if (path.endsWith('/rerank')) {
      const checked = echoRerank(record.body);
      return play('answer' in checked ? { kind: 'invoke', body: checked.answer } : { kind: 'error', status: 400, type: 'ValidationException', message: checked.invalid }, res);
    }
    if (path.endsWith('/invoke')) {
      const answer = echoEmbeddings(record.body);
      return play(answer ? { kind: 'invoke', body: answer } : { kind: 'error', status: 400, type: 'ValidationException', message: 'Malformed input request, please reformat your input and try again.' }, res);
    }
    await play(echo(record.body, path.endsWith('/converse-stream')), res);
  });
  const listening = await listenLocal(server);
  return {
    url: listening.url,
    requests,
    enqueue(pathSuffix, ...behaviours) {
      queues.set(pathSuffix, [...(queues.get(pathSuffix) ?? []), ...behaviours]);
    },
    close: listening.close,
  };
}

function authMode(req: IncomingMessage): 'sigv4' | 'bearer' {
  return String(req.headers.authorization ?? '').startsWith('Bearer ') ? 'bearer' : 'sigv4';
}

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Undefined when the request is authentic; else the error AWS would answer. */
async function checkAuth(req: IncomingMessage, path: string, body: Buffer, opts: MockBedrockOptions): Promise<{ type: string; message: string } | undefined> {
  const authorization = String(req.headers.authorization ?? '');
  if (authorization.startsWith('Bearer ')) {
    return opts.apiKeys.includes(authorization.slice(7)) ? undefined : { type: 'AccessDeniedException', message: 'Invalid API Key format: Must start with pre-defined prefix' };
  }
  const match = SIGV4.exec(authorization);
  if (!match) return { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const [, keyId, , region, service, signedHeaders] = match;
  const known = opts.credentials[keyId!];
  if (!known) return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  const invalid = { type: 'InvalidSignatureException', message: 'The request signature we calculated does not match the signature you provided.' };
  if (region !== opts.region || service !== 'bedrock') return invalid;
  if (req.headers['x-amz-content-sha256'] !== createHash('sha256').update(body).digest('hex')) return invalid;
  if (known.sessionToken !== undefined && req.headers['x-amz-security-token'] !== known.sessionToken) {
    return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';')) headers[name] = String(req.headers[name] ?? '');
  const signer = new SignatureV4({
    service: 'bedrock',
    region: opts.region,
    credentials: { accessKeyId: keyId!, secretAccessKey: known.secretAccessKey, ...(known.sessionToken ? { sessionToken: known.sessionToken } : {}) },
    sha256: hashNode.Hash.bind(null, 'sha256'),
  });
  const [host, port] = String(req.headers.host).split(':');
  const expected = await signer.sign(
    { method: req.method ?? 'POST', protocol: 'http:', hostname: host!, ...(port ? { port: Number(port) } : {}), path, query: {}, headers, body: body.toString('utf8') },
    { signingDate: parseAmzDate(String(req.headers['x-amz-date'] ?? '')) },
  );
  return expected.headers.authorization === authorization ? undefined : invalid;
}

/** `20261126T010203Z` → Date. */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(0);
}

async function play(b: BedrockBehaviour, res: ServerResponse): Promise<void> {
  if (b.kind === 'error') return sendError(res, b);
  if (b.kind === 'converse' || b.kind === 'invoke') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'mock-request-id' });
    res.end(JSON.stringify(b.body));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'mock-request-id' });
  res.flushHeaders();
  const bytes = encodeEventStream(b.lines);
  // Odd-sized writes with a pause between them, so frames reach the gateway cut at random places.
  const size = b.chunkSize ?? 7;
  for (let at = 0; at < bytes.length; at += size) {
    if (res.destroyed) return;
    res.write(bytes.subarray(at, at + size));
    await new Promise((r) => setImmediate(r));
  }
  res.end();
}

function sendError(res: ServerResponse, b: Extract<BedrockBehaviour, { kind: 'error' }>): void {
  res.writeHead(b.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${b.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...b.headers });
  res.end(JSON.stringify({ message: b.message }));
}

/** Default answer: echo the last user text, as Converse or as a ConverseStream. */
function echo(body: any, stream: boolean): BedrockBehaviour {
  const last = Array.isArray(body?.messages) ? body.messages.at(-1) : undefined;
  const text = `echo: ${last?.content?.find((b: { text?: string }) => typeof b.text === 'string')?.text ?? ''}`;
  const usage = { inputTokens: 5, outputTokens: 7, totalTokens: 12 };
  if (!stream) {
    return { kind: 'converse', body: { output: { message: { role: 'assistant', content: [{ text }] } }, stopReason: 'end_turn', usage, metrics: { latencyMs: 1 } } };
  }
  return {
    kind: 'events',
    lines: [
      { event: 'messageStart', payload: { role: 'assistant' } },
      ...text.split(/(?<= )/).map((piece) => ({ event: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: piece } } })),
      { event: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      { event: 'messageStop', payload: { stopReason: 'end_turn' } },
      { event: 'metadata', payload: { usage, metrics: { latencyMs: 1 } } },
    ],
  };
}

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
