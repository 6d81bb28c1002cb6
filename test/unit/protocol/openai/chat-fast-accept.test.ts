import { describe, expect, it } from 'vitest';
import { chatBodyChecks, parseChatRequest } from '../../../../src/protocol/openai/request-schema.js';

/**
 * The compiled check that lets valid chat bodies skip zod (validate-body.ts `fastAccept`) must
 * never accept a body zod refuses. Every leaf and container of two valid bodies is replaced by
 * values of every JSON type (and deleted), then random multi-point mutations follow; for each
 * body, an accepting check implies an accepting zod.
 */

const minimal = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

const full = {
  model: 'gpt-x',
  messages: [
    { role: 'system', content: 'be brief', name: 'sys' },
    { role: 'developer', content: null },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
        { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
      ],
    },
    { role: 'assistant', content: null, reasoning_content: 'thought', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    { role: 'tool', content: 'result', tool_call_id: 'c1' },
  ],
  stream: true,
  stream_options: { include_usage: true },
  max_tokens: 16,
  max_completion_tokens: 32,
  temperature: 0.5,
  top_p: 1,
  n: 1,
  stop: ['a', 'b'],
  seed: 7,
  presence_penalty: -1,
  frequency_penalty: 2,
  logit_bias: { '50256': -100 },
  logprobs: true,
  top_logprobs: 3,
  tools: [
    { type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true } },
    { type: 'web_search' },
  ],
  tool_choice: { type: 'function', function: { name: 'f' } },
  parallel_tool_calls: false,
  response_format: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'object' }, strict: null, description: 'x' } },
  reasoning_effort: 'low',
  user: 'u1',
  enable_thinking: true, // an unknown field: passed through as `extra`
};

const DELETE = Symbol('delete');
const POOL: unknown[] = [DELETE, null, 0, -1, 1.5, 3, 129, 1e9, '', 'x', 'auto', 'function', 'user', true, [], ['a'], [1], [{}], {}, { type: 'text' }, { type: 'function' }];

type Path = (string | number)[];

function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = at.length ? [at] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function mutate<T>(body: T, path: Path, replacement: unknown): T {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === DELETE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy as T;
}

/** Deterministic PRNG (mulberry32): the fuzz is the same on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('chat body fast check (compiled from the zod schema)', () => {
  const { schema, accept } = chatBodyChecks;
  const verdicts = (body: unknown) => ({ fast: accept(body), zod: schema.safeParse(body).success });

  it('accepts the valid bodies, so they really skip zod', () => {
    for (const body of [minimal, full]) expect(verdicts(body)).toEqual({ fast: true, zod: true });
  });

  it('never accepts a body zod refuses: every path replaced by every kind of value', () => {
    let refusedByZod = 0;
    for (const base of [minimal, full]) {
      for (const path of paths(base)) {
        for (const value of POOL) {
          const body = mutate(base, path, value);
          const v = verdicts(body);
          if (v.fast) expect({ path, value: String(value), zod: v.zod }).toEqual({ path, value: String(value), zod: true });
          if (!v.zod) refusedByZod++;
        }
      }
    }
    expect(refusedByZod).toBeGreaterThan(300); // the corpus really exercises refusals
  });

  it('never accepts a body zod refuses: 3,000 random multi-point mutations', () => {
    const random = prng(20261126);
    for (let i = 0; i < 3000; i++) {
      let body: unknown = random() < 0.5 ? minimal : full;
      const points = 1 + Math.floor(random() * 3);
      for (let p = 0; p < points; p++) {
        const all = paths(body);
        if (all.length === 0) break;
        body = mutate(body, all[Math.floor(random() * all.length)]!, POOL[Math.floor(random() * POOL.length)]);
      }
      const v = verdicts(body);
      if (v.fast) expect(v.zod, JSON.stringify(body)).toBe(true);
    }
  });

  it('a body used as parsed gives the same request as zod’s copy of it', () => {
    // The raw body (used as is by the fast path) and zod's copy of it end up as the same request.
    const fast = parseChatRequest(structuredClone(full));
    const viaZod = parseChatRequest(schema.parse(structuredClone(full)));
    expect(fast).toEqual(viaZod);
  });
});
