import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest, EmbeddingsRequest, RerankRequest, ToolCall } from '../../../../src/protocol/chat.js';
import { BaimoError } from '../../../../src/protocol/errors.js';
import type { StreamEvent } from '../../../../src/protocol/stream-events.js';
import type { Adapter, DecodeContext, SseMessage, UpstreamTarget } from '../../../../src/providers/adapter.js';
import { createSseFramer } from '../../../../src/providers/sse.js';
import { seededRandom } from '../../../support/fixtures.js';

/**
 * The fixture replay suite shared by the native adapters (STYLE.md "Where a new provider's pieces
 * go"): it walks one fixture folder and replays every case by its file name, so adding a case is
 * adding files. Cases:
 *   X.request.json                {model?, base_url?, stream?, canonical, wire, url?, headers?}
 *                                 → the built body equals `wire` (and url/headers when given);
 *                                 `embeddings*` and `rerank*` cases use those codecs, and their
 *                                 responses are parsed with the case's request when it has one
 *   X.response.json               → X.expected.json: the parsed response, or {"error": …} when
 *                                 parsing throws (a blocked prompt, an error inside a 200)
 *   X.sse                         → X.expected.jsonl: one canonical event per line, including
 *                                 what `end()` adds; fed whole, byte by byte and in seeded
 *                                 random slices, which must all agree (another stream format,
 *                                 such as Bedrock's event-stream, passes its own StreamFormat)
 *   error-X.json + .meta.json     → error-X.expected.json: the mapped error
 */

export const NOW = 1_760_000_000;

/** Deterministic ids and clock: `call_1`, `chatcmpl_2`, … in call order. */
export function fixedContext(): DecodeContext {
  let n = 0;
  return { newId: (prefix) => `${prefix}_${++n}`, nowSeconds: () => NOW };
}

export function testTarget(upstreamModel: string, baseUrl = ''): UpstreamTarget {
  return {
    upstreamModel,
    provider: {
      name: 'test',
      kind: 'test',
      base_url: baseUrl,
      api_key: 'test-key',
      headers: {},
      timeouts: { connect_ms: 1000, first_byte_ms: 1000, idle_ms: 1000, total_ms: 1000 },
    },
  };
}

/** A canonical request as fixtures write it (`extra` may be left out). */
export function chatRequest(fields: Omit<ChatRequest, 'extra'> & { extra?: Record<string, unknown> }): ChatRequest {
  return { ...fields, extra: fields.extra ?? {} };
}

/** Frame raw SSE bytes as transport would see them: byte slices, decoded incrementally. */
export function frameSse(bytes: Buffer, nextSliceSize: () => number = () => bytes.length): SseMessage[] {
  const framer = createSseFramer();
  const decoder = new TextDecoder('utf-8');
  const messages: SseMessage[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.max(1, nextSliceSize());
    messages.push(...framer.feed(decoder.decode(bytes.subarray(at, at + size), { stream: true })));
    at += size;
  }
  messages.push(...framer.feed(decoder.decode()), ...framer.flush());
  return messages;
}

/** Slice sizes 1–24 from the shared seeded PRNG, so a failure is reproducible. */
export function seededSlices(seed: number): () => number {
  const random = seededRandom(seed);
  return () => 1 + Math.floor(random() * 24);
}

export function decodeAll(adapter: Adapter, messages: SseMessage[]): { events: unknown[]; done: boolean } {
  const decoder = adapter.chat.decoder(fixedContext());
  const events: StreamEvent[] = [];
  for (const message of messages) events.push(...decoder.push(message));
  events.push(...decoder.end());
  return { events: events.map(eventJson), done: decoder.done };
}

/** Events as plain JSON, with errors reduced to what a client and the router act on. */
export function eventJson(event: StreamEvent): unknown {
  return event.type === 'error' ? { type: 'error', error: errorJson(event.error) } : JSON.parse(JSON.stringify(event));
}

export function errorJson(error: unknown): Record<string, unknown> {
  if (!BaimoError.is(error)) throw error;
  const out: Record<string, unknown> = {
    status: error.status,
    code: error.code,
    type: error.type,
    failure: error.failure,
    retryable: error.retryable,
    message: error.message,
  };
  if (error.retryAfter !== undefined) out.retryAfter = error.retryAfter;
  if (error.param !== null) out.param = error.param;
  return out;
}

/** Run `fn`, returning its result as JSON or the BaimoError it threw as `{error}`. */
export function outcome(fn: () => unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(fn()));
  } catch (error) {
    return { error: errorJson(error) };
  }
}

/**
 * Fold a choice's canonical deltas into the assistant message a client would keep (content and
 * reasoning concatenated, tool-call fragments joined per index, `provider_data` later-wins), so
 * tests can send a streamed answer back as history.
 */
export function accumulateMessage(events: StreamEvent[], choice = 0): ChatMessage {
  let content: string | null = null;
  let reasoning: string | undefined;
  let providerData: Record<string, unknown> | undefined;
  const calls: ToolCall[] = [];
  for (const event of events) {
    if (event.type !== 'delta' || event.index !== choice) continue;
    if (event.content !== undefined) content = (content ?? '') + event.content;
    if (event.reasoning !== undefined) reasoning = (reasoning ?? '') + event.reasoning;
    const replay = (event as { provider_data?: Record<string, unknown> }).provider_data;
    if (replay) providerData = replay;
    for (const fragment of event.tool_calls ?? []) {
      const call = (calls[fragment.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (fragment.id) call.id = fragment.id;
      if (fragment.name) call.function.name = fragment.name;
      if (fragment.arguments) call.function.arguments += fragment.arguments;
      if (fragment.provider_data) call.provider_data = fragment.provider_data;
    }
  }
  const message: ChatMessage = { role: 'assistant', content };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (providerData) message.provider_data = providerData;
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

/** Decode a fixture stream into raw canonical events (errors left as BaimoErrors). */
export function decodeFixture(adapter: Adapter, path: string): StreamEvent[] {
  const decoder = adapter.chat.decoder(fixedContext());
  const events = frameSse(readFileSync(path)).flatMap((m) => decoder.push(m));
  return [...events, ...decoder.end()];
}

/** How a family's stream fixtures are stored and decoded (SSE unless a suite says otherwise). */
export interface StreamFormat {
  /** File name ending of stream fixtures. */
  extension: string;
  /** Decode a fixture file's bytes delivered in slices of `nextSliceSize()` bytes (whole when omitted). */
  decode(adapter: Adapter, file: Buffer, nextSliceSize?: () => number): { events: unknown[]; done: boolean };
}

export const SSE_FORMAT: StreamFormat = {
  extension: '.sse',
  decode: (adapter, file, nextSliceSize) => decodeAll(adapter, frameSse(file, nextSliceSize)),
};

interface RequestFixture {
  model?: string;
  base_url?: string;
  stream?: boolean;
  canonical: Record<string, unknown>;
  wire: unknown;
  url?: string;
  headers?: Record<string, string>;
}

export function describeFixtures(
  adapterName: string,
  createAdapter: () => Adapter,
  dir: string,
  defaultModel: string,
  streams: StreamFormat = SSE_FORMAT,
): void {
  const ext = streams.extension;
  const files = readdirSync(dir).sort();
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const json = <T = unknown>(name: string): T => JSON.parse(read(name)) as T;

  describe(`${adapterName} fixtures (${dir.split('/').slice(-2).join('/')})`, () => {
    it('has at least one case of every kind', () => {
      expect(files.some((f) => f.endsWith('.request.json'))).toBe(true);
      expect(files.some((f) => f.endsWith('.response.json'))).toBe(true);
      expect(files.some((f) => f.endsWith(ext))).toBe(true);
      expect(files.some((f) => /^error-.*\.meta\.json$/.test(f))).toBe(true);
      expect(files).toContain('README.md');
    });

    it('holds no file that no case reads', () => {
      const has = (name: string) => files.includes(name);
      const orphans = files.filter((f) => {
        if (f === 'README.md' || f.endsWith('.request.json') || f.endsWith('.response.json') || f.endsWith(ext)) return false;
        if (/^error-.*\.meta\.json$/.test(f)) return false;
        const base = f.replace(/\.(expected\.json|expected\.jsonl|json)$/, '');
        if (f.endsWith('.expected.json')) return !has(`${base}.response.json`) && !has(`${base}.meta.json`);
        if (f.endsWith('.expected.jsonl')) return !has(`${base}${ext}`);
        return !(f.startsWith('error-') && has(`${base}.meta.json`));
      });
      expect(orphans).toEqual([]);
    });

    for (const file of files.filter((f) => f.endsWith('.request.json'))) {
      it(`builds ${file}`, () => {
        const fixture = json<RequestFixture>(file);
        const target = testTarget(fixture.model ?? defaultModel, fixture.base_url);
        const adapter = createAdapter();
        const canonical = { extra: {}, ...fixture.canonical };
        const spec = file.startsWith('embeddings')
          ? adapter.embeddings!.build(canonical as unknown as EmbeddingsRequest, target)
          : file.startsWith('rerank')
            ? adapter.rerank!.build(canonical as unknown as RerankRequest, target)
            : adapter.chat.build(canonical as unknown as ChatRequest, target, { stream: fixture.stream ?? false });
        expect(spec.method).toBe('POST');
        expect(JSON.parse(spec.body ?? 'null')).toEqual(fixture.wire);
        if (fixture.url !== undefined) expect(spec.url).toBe(fixture.url);
        if (fixture.headers !== undefined) expect(spec.headers).toEqual(fixture.headers);
      });
    }

    for (const file of files.filter((f) => f.endsWith('.response.json'))) {
      const base = file.replace(/\.response\.json$/, '');
      it(`parses ${file} → ${base}.expected.json`, () => {
        const adapter = createAdapter();
        const body = json(file);
        const codec = base.startsWith('embeddings') ? adapter.embeddings : base.startsWith('rerank') ? adapter.rerank : undefined;
        const result = codec
          ? outcome(() => {
              const request = existsSync(join(dir, `${base}.request.json`)) ? json<RequestFixture>(`${base}.request.json`).canonical : undefined;
              const parse = codec.parse as (j: unknown, c: DecodeContext, r?: unknown) => unknown;
              return parse(body, fixedContext(), request && { extra: {}, ...request });
            })
          : outcome(() => adapter.chat.parse(body, fixedContext()));
        expect(result).toEqual(json(`${base}.expected.json`));
      });
    }

    for (const file of files.filter((f) => f.endsWith(ext))) {
      const base = file.slice(0, -ext.length);
      const bytes = readFileSync(join(dir, file));
      const expectedLines = () =>
        read(`${base}.expected.jsonl`)
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line));

      it(`decodes ${file} → ${base}.expected.jsonl`, () => {
        const { events, done } = streams.decode(createAdapter(), bytes);
        expect(events).toEqual(expectedLines());
        // The stream's own terminator was seen exactly when it did not end in an error.
        expect(done).toBe(!events.some((e) => (e as { type: string }).type === 'error'));
      });

      it(`decodes ${file} identically however the bytes are sliced`, () => {
        const whole = streams.decode(createAdapter(), bytes);
        expect(streams.decode(createAdapter(), bytes, () => 1)).toEqual(whole);
        for (const seed of [1, 2, 3, 42, 2026]) {
          expect(streams.decode(createAdapter(), bytes, seededSlices(seed))).toEqual(whole);
        }
      });
    }

    for (const file of files.filter((f) => /^error-.*\.meta\.json$/.test(f))) {
      const base = file.replace(/\.meta\.json$/, '');
      it(`maps ${base}.json → ${base}.expected.json`, () => {
        const meta = json<{ status: number; headers?: Record<string, string> }>(file);
        const error = createAdapter().mapError({ status: meta.status, headers: meta.headers ?? {}, body: read(`${base}.json`) });
        expect(errorJson(error)).toEqual(json(`${base}.expected.json`));
      });
    }
  });
}
