import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src/config/types.js';
import type { Adapter, DecodeContext, StreamDecoder, UpstreamTarget } from '../../../src/providers/adapter.js';
import { createOpenAICompatibleAdapter, VENDORS, type VendorEntry } from '../../../src/providers/openai-compatible/index.js';
import { createSseFramer } from '../../../src/providers/sse.js';
import { BaimoError } from '../../../src/protocol/errors.js';
import type { CompletionStreamEvent, StreamEvent } from '../../../src/protocol/stream-events.js';

/**
 * Replays every vendor's fixture folder (test/fixtures/providers/<id>/, see its README) through
 * the shared adapter:
 *   <case>.request.json          {canonical, wire, stream?, codec?, upstreamModel?, provider?, url?, headers?}
 *   <case>.response.json         → <case>.expected.json   (codec from the case name: embeddings*, rerank*, completions*, else chat)
 *   <case>.sse                   → <case>.expected.jsonl  (raw bytes, fed whole and in 5-byte slices;
 *                                  completions* through the completion stream decoder, else chat's)
 *   error-<case>.json|.txt + .meta.json {status, headers} → error-<case>.expected.json
 *     (a 2xx status means an error reported inside a 200: `chat.parse` must throw it)
 */

const FIXTURES = fileURLToPath(new URL('../../fixtures/providers/', import.meta.url));
const NOW = 1_760_000_000;

function fixtureContext(): DecodeContext {
  let next = 0;
  return { newId: (prefix) => `${prefix}-fixture-${++next}`, nowSeconds: () => NOW };
}

/** The fixture's provider: defaults plus its overrides (`"api_key": null` means no key configured). */
function providerFor(vendor: VendorEntry, overrides: Partial<Record<keyof ProviderConfig, unknown>> = {}): ProviderConfig {
  const provider = {
    name: `${vendor.id}-fixture`,
    kind: vendor.id,
    base_url: vendor.defaultBaseUrl ?? 'https://upstream.example/v1',
    api_key: 'test-key',
    headers: {},
    timeouts: { connect_ms: 1000, first_byte_ms: 1000, idle_ms: 1000, total_ms: 1000 },
    ...overrides,
  } as ProviderConfig;
  if (provider.api_key === null) delete provider.api_key;
  return provider;
}

const readText = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const readJson = <T>(dir: string, file: string): T => JSON.parse(readText(dir, file)) as T;

/** Events as plain data; an error keeps what a client and the router see. */
function plainEvent(event: StreamEvent | CompletionStreamEvent): unknown {
  if (event.type === 'error') return { type: 'error', error: plainError(event.error) };
  return JSON.parse(JSON.stringify(event)) as unknown;
}

function plainError(error: BaimoError): Record<string, unknown> {
  const plain: Record<string, unknown> = {
    status: error.status,
    code: error.code,
    type: error.type,
    failure: error.failure,
    message: error.message,
  };
  if (error.retryAfter !== undefined) plain.retryAfter = error.retryAfter;
  return plain;
}

function replayStream(adapter: Adapter, raw: string, sliceSize: number, codec: Codec = 'chat'): { events: unknown[]; done: boolean } {
  const framer = createSseFramer();
  const decoder: StreamDecoder<StreamEvent | CompletionStreamEvent> =
    codec === 'completions' ? adapter.completions!.decoder(fixtureContext()) : adapter.chat.decoder(fixtureContext());
  const events: (StreamEvent | CompletionStreamEvent)[] = [];
  for (let at = 0; at < raw.length; at += sliceSize) {
    for (const message of framer.feed(raw.slice(at, at + sliceSize))) events.push(...decoder.push(message));
  }
  for (const message of framer.flush()) events.push(...decoder.push(message));
  events.push(...decoder.end());
  return { events: events.map(plainEvent), done: decoder.done };
}

type Codec = 'chat' | 'embeddings' | 'rerank' | 'completions';
const codecOf = (name: string): Codec =>
  (['embeddings', 'rerank', 'completions'] as const).find((codec) => name.startsWith(codec)) ?? 'chat';

interface RequestFixture {
  canonical: Record<string, unknown>;
  wire: Record<string, unknown>;
  stream?: boolean;
  codec?: Codec;
  upstreamModel?: string;
  provider?: Partial<Record<keyof ProviderConfig, unknown>>;
  url?: string;
  headers?: Record<string, string>;
}

function buildRequest(adapter: Adapter, fixture: RequestFixture, target: UpstreamTarget) {
  const canonical = { extra: {}, ...fixture.canonical } as never;
  const stream = fixture.stream ?? false;
  switch (fixture.codec ?? 'chat') {
    case 'chat':
      return adapter.chat.build(canonical, target, { stream });
    case 'completions':
      return adapter.completions!.build(canonical, target, { stream });
    case 'embeddings':
      return adapter.embeddings!.build(canonical, target);
    case 'rerank':
      return adapter.rerank!.build(canonical, target);
  }
}

function parseResponse(adapter: Adapter, codec: Codec, json: unknown): unknown {
  const ctx = fixtureContext();
  switch (codec) {
    case 'chat':
      return adapter.chat.parse(json, ctx);
    case 'completions':
      return adapter.completions!.parse(json, ctx);
    case 'embeddings':
      return adapter.embeddings!.parse(json, ctx);
    case 'rerank':
      return adapter.rerank!.parse(json, ctx);
  }
}

function caseNames(files: string[], suffix: string): string[] {
  return files.filter((file) => file.endsWith(suffix)).map((file) => file.slice(0, -suffix.length));
}

for (const vendor of VENDORS) {
  const dir = join(FIXTURES, vendor.id);
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  const adapter = createOpenAICompatibleAdapter(vendor);

  describe(`${vendor.id} fixtures (${vendor.catalogSection})`, () => {
    it('has a fixture folder', () => {
      expect(files.length, `missing ${dir}`).toBeGreaterThan(0);
    });

    for (const name of caseNames(files, '.request.json')) {
      it(`builds ${name}.request.json`, () => {
        const fixture = readJson<RequestFixture>(dir, `${name}.request.json`);
        const target: UpstreamTarget = {
          provider: providerFor(vendor, fixture.provider),
          upstreamModel: fixture.upstreamModel ?? String(fixture.canonical.model),
        };
        const before = structuredClone(fixture.canonical);
        const spec = buildRequest(adapter, fixture, target);
        expect(JSON.parse(spec.body ?? 'null')).toEqual(fixture.wire);
        expect(spec.method).toBe('POST');
        if (fixture.url !== undefined) expect(spec.url).toBe(fixture.url);
        if (fixture.headers !== undefined) expect(spec.headers).toEqual(fixture.headers);
        expect(fixture.canonical, 'the canonical request must not be mutated').toEqual(before);
      });
    }

    for (const name of caseNames(files, '.response.json')) {
      it(`parses ${name}.response.json`, () => {
        const parsed = parseResponse(adapter, codecOf(name), readJson(dir, `${name}.response.json`));
        expect(parsed).toEqual(readJson(dir, `${name}.expected.json`));
      });
    }

    for (const name of caseNames(files, '.sse')) {
      it(`decodes ${name}.sse`, () => {
        const raw = readText(dir, `${name}.sse`);
        const expected = readText(dir, `${name}.expected.jsonl`)
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line) as unknown);
        const codec = codecOf(name);
        const whole = replayStream(adapter, raw, raw.length || 1, codec);
        expect(whole.events).toEqual(expected);
        expect(whole.done).toBe(/^data: ?\[DONE\]/m.test(raw));
        // Again in 5-character slices, so lines, JSON and `[DONE]` arrive cut in the middle.
        expect(replayStream(adapter, raw, 5, codec).events).toEqual(expected);
      });
    }

    const errorCases = files
      .filter((file) => /^error-.*\.(json|txt)$/.test(file) && !/\.(meta|expected)\.json$/.test(file))
      .map((file) => ({ file, name: file.replace(/\.(json|txt)$/, '') }));
    for (const { file, name } of errorCases) {
      it(`maps ${file}`, () => {
        const meta = readJson<{ status: number; headers?: Record<string, string> }>(dir, `${name}.meta.json`);
        const expected = readJson<Record<string, unknown>>(dir, `${name}.expected.json`);
        const body = readText(dir, file);
        if (meta.status >= 200 && meta.status < 300) {
          let thrown: unknown;
          try {
            adapter.chat.parse(JSON.parse(body), fixtureContext());
          } catch (error) {
            thrown = error;
          }
          expect(BaimoError.is(thrown), 'an error inside a 200 must throw a BaimoError').toBe(true);
          expect(plainError(thrown as BaimoError)).toEqual(expected);
          return;
        }
        const error = adapter.mapError({ status: meta.status, headers: meta.headers ?? {}, body });
        expect(plainError(error)).toEqual(expected);
      });
    }
  });
}
