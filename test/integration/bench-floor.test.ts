import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../../bench/processes.js';

/**
 * The bench's floor gateway (bench/floor-gateway.ts) is the evidence for what any gateway doing
 * Baimo's per-request duties costs, so it must really do them: refuse a wrong key, rename the
 * model both ways, relay streams, and journal one usage event per answer with the upstream's
 * tokens and the bench price. Runs the built scripts, as `npm run bench` does.
 */

const KEY = 'sk-bm-floor-test-key';
let mock: ServerProcess;
let floor: ServerProcess;
let base: string;

beforeAll(async () => {
  const { startServerProcess } = (await import(pathToFileURL(resolve('dist/bench/processes.js')).href)) as typeof import('../../bench/processes.js');
  mock = await startServerProcess('mock upstream', './mock-upstream.js', {});
  floor = await startServerProcess('floor gateway', './floor-gateway.js', { args: ['--upstream', String(mock.port)], env: { BENCH_FLOOR_KEY: KEY } });
  base = `http://127.0.0.1:${floor.port}/v1/chat/completions`;
}, 60_000);

afterAll(async () => {
  await floor?.stop();
  await mock?.stop();
});

async function post(body: string, key = KEY) {
  const res = await request(base, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

const chat = (extra: object = {}) => JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16, ...extra });

describe('bench floor gateway', () => {
  it('refuses a wrong key, bad JSON, an unknown model and empty messages', async () => {
    expect((await post(chat(), 'sk-bm-wrong')).status).toBe(401);
    expect((await post('{"model":')).status).toBe(400);
    expect((await post(chat({ model: 'other' }))).status).toBe(404);
    expect((await post(chat({ messages: [] }))).status).toBe(400);
  });

  it('answers and streams under the public model name, and journals one priced usage event per answer', async () => {
    const plain = await post(chat());
    expect(plain.status).toBe(200);
    const answer = JSON.parse(plain.text) as { model: string; choices: { message: { content: string } }[] };
    expect(answer.model).toBe('bench-model');
    expect(answer.choices[0]!.message.content).toContain('Hello');
    expect(plain.headers['x-ratelimit-remaining-requests']).toBe('9999999');

    const streamed = await post(chat({ stream: true }));
    expect(streamed.status).toBe(200);
    expect(streamed.text).toContain('Hello');
    expect(streamed.text.trimEnd().endsWith('data: [DONE]')).toBe(true);

    // Both replies waited for their journal line, so the lines are on disk now.
    const lines = readFileSync(join(floor.announced['data-dir']!, 'usage.jsonl'), 'utf8').trim().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { model: string; input_tokens: number; output_tokens: number; cost_micros: number });
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ model: 'bench-model', input_tokens: 12, output_tokens: 5, cost_micros: Math.round(12 * 0.5 + 5 * 1.5) });
  });
});
