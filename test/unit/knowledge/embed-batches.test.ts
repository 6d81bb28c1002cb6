import { describe, expect, it } from 'vitest';
import { embedBatches, EmbeddingFailed, planBatches } from '../../../src/knowledge/embed/embed-batches.js';
import { BaimoError } from '../../../src/protocol/errors.js';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ key: i, text: `text number ${i}` }));
const countTokens = (t: string) => t.split(' ').length;
const vec = (t: string) => Float32Array.from([t.length, 1]);
const noSleep = async () => {};

describe('embedBatches', () => {
  it('plans batches bounded by count and by tokens', () => {
    expect(planBatches(items(130), { maxBatchSize: 64, countTokens }).map((b) => b.length)).toEqual([64, 64, 2]);
    expect(planBatches(items(10), { maxBatchSize: 64, maxBatchTokens: 9, countTokens }).map((b) => b.length)).toEqual([3, 3, 3, 1]);
  });

  it('embeds everything, at most `concurrency` batches in flight, reporting each batch', async () => {
    let inFlight = 0;
    let peak = 0;
    const saved = new Map<number, Float32Array>();
    await embedBatches(items(100), async (texts) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return texts.map(vec);
    }, { maxBatchSize: 10, concurrency: 3, countTokens, onBatch: async (b) => b.forEach((x) => saved.set(x.key, x.vector)) });
    expect(saved.size).toBe(100);
    expect(saved.get(42)).toEqual(vec('text number 42'));
    expect(peak).toBe(3);
  });

  it('retries transient failures (429 with retry-after, 503) with backoff, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    await embedBatches(items(3), async (texts) => {
      calls++;
      if (calls === 1) throw new BaimoError('rate_limit', 'slow down', { status: 429, code: 'rate_limit_exceeded', retryAfter: 2 });
      if (calls === 2) throw new BaimoError('upstream', 'down', { status: 503, code: 'upstream_error', retryable: true });
      return texts.map(vec);
    }, { countTokens, baseDelayMs: 10, sleep: async (ms) => void delays.push(ms), onBatch: async () => {} });
    expect(calls).toBe(3);
    expect(delays[0]).toBeGreaterThanOrEqual(2000); // retry-after honoured
    expect(delays[1]).toBeGreaterThanOrEqual(10);
  });

  it('gives up after the attempts, as transient; fails at once on a budget stop', async () => {
    const down = embedBatches(items(2), async () => {
      throw new BaimoError('upstream', 'down', { status: 502, code: 'upstream_error' });
    }, { countTokens, attempts: 3, sleep: noSleep, onBatch: async () => {} });
    await expect(down).rejects.toSatisfy((e: unknown) => e instanceof EmbeddingFailed && e.transient);
    let calls = 0;
    const broke = embedBatches(items(2), async () => {
      calls++;
      throw new BaimoError('budget', 'budget exhausted', { status: 429, code: 'budget_exceeded' });
    }, { countTokens, sleep: noSleep, onBatch: async () => {} });
    await expect(broke).rejects.toSatisfy((e: unknown) => e instanceof EmbeddingFailed && !e.transient);
    expect(calls).toBe(1);
  });

  it('refuses a response with the wrong number of vectors, and does not retry a failing save', async () => {
    const short = embedBatches(items(3), async () => [vec('x')], { countTokens, sleep: noSleep, onBatch: async () => {} });
    await expect(short).rejects.toThrow(/1 vectors for 3 inputs/);
    let calls = 0;
    const saveFails = embedBatches(items(3), async (t) => (calls++, t.map(vec)), {
      countTokens,
      sleep: noSleep,
      onBatch: async () => {
        throw new Error('disk full');
      },
    });
    await expect(saveFails).rejects.toThrow('disk full');
    expect(calls).toBe(1);
  });
});
