import { describe, expect, it, vi } from 'vitest';
import type { ProviderConfig } from '../../../../src/config/types.js';
import { DEFAULT_TIMEOUTS } from '../../../../src/config/defaults.js';
import { createTransport, readFailure, type InProcessUpstream } from '../../../../src/providers/transport.js';
import { createLocalUpstream, parseLocalUrl } from '../../../../src/providers/local/local-upstream.js';

/** The transport's `local://` upstream, without llama.cpp: routing, dispatch and pre-load failures. */

const LAPTOP: ProviderConfig = {
  name: 'laptop',
  kind: 'local',
  base_url: 'local://laptop',
  headers: {},
  timeouts: DEFAULT_TIMEOUTS,
  engine: { threads: 1, max_loaded_models: 2, sequences: 1, max_queue: 4 },
};

const upstreamWith = (createLlama = vi.fn(async () => Promise.reject(new Error('not in unit tests')))) => ({
  createLlama,
  upstream: createLocalUpstream({
    provider: (name) => (name === LAPTOP.name ? LAPTOP : undefined),
    createLlama,
    cpuCount: 2,
    newId: (prefix) => `${prefix}-1`,
    nowSeconds: () => 1,
  }),
});
const post = (url: string, body: unknown) => ({ method: 'POST' as const, url, headers: {}, body: JSON.stringify(body) });

describe('local:// URLs', () => {
  it('name the provider (URL-encoded) and the OpenAI route', () => {
    expect(parseLocalUrl('local://gpu%40rack%3A1/chat/completions')).toEqual({ provider: 'gpu@rack:1', route: '/chat/completions' });
    expect(parseLocalUrl('local://laptop/embeddings')).toEqual({ provider: 'laptop', route: '/embeddings' });
  });

  it('the transport hands them to the in-process upstream (no socket) and closes it with itself', async () => {
    const send = vi.fn<InProcessUpstream['send']>(async () => {
      throw new Error('sent');
    });
    const close = vi.fn(async () => undefined);
    const transport = createTransport({ inProcess: [{ prefix: 'local://', send, close }] });
    await expect(transport.send(post('local://laptop/chat/completions', {}), DEFAULT_TIMEOUTS)).rejects.toThrow('sent');
    expect(send).toHaveBeenCalledOnce();
    await transport.close();
    expect(close).toHaveBeenCalledOnce();
  });
});

describe('answers before any model is loaded', () => {
  it('a missing GGUF file: 404 model_not_found naming the path, without starting llama.cpp', async () => {
    const { upstream, createLlama } = upstreamWith();
    const res = await upstream.send(post('local://laptop/chat/completions', { model: '/nowhere/ghost.gguf', messages: [{ role: 'user', content: 'hi' }] }), DEFAULT_TIMEOUTS);
    const failure = await readFailure(res);
    expect(failure.status).toBe(404);
    expect(JSON.parse(failure.body)).toEqual({
      error: { message: 'GGUF model file not found: /nowhere/ghost.gguf', type: 'invalid_request_error', param: null, code: 'model_not_found' },
    });
    expect(createLlama).not.toHaveBeenCalled();
    expect(upstream.stats()).toEqual([{ provider: 'laptop', active: 0, queued: 0, loadedModels: 0, promptTokens: 0, completionTokens: 0 }]);
    await upstream.close();
  });

  it('bad input is a 400 before anything loads; an unknown route a 404', async () => {
    const { upstream } = upstreamWith();
    const bad = await readFailure(await upstream.send(post('local://laptop/chat/completions', { model: '/m.gguf', messages: [], n: 1 }), DEFAULT_TIMEOUTS));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ param: 'messages' });
    const route = await readFailure(await upstream.send(post('local://laptop/rerank', { model: '/m.gguf' }), DEFAULT_TIMEOUTS));
    expect(route.status).toBe(404);
    await upstream.close();
  });

  it('llama.cpp failing to start is a 500 the router treats as transient', async () => {
    const { upstream } = upstreamWith();
    const res = await upstream.send(post('local://laptop/embeddings', { model: import.meta.filename, input: 'x' }), DEFAULT_TIMEOUTS);
    const failure = await readFailure(res);
    expect(failure.status).toBe(500);
    expect(JSON.parse(failure.body).error).toMatchObject({ code: 'engine_unavailable', message: expect.stringContaining('not in unit tests') });
    await upstream.close();
  });
});
