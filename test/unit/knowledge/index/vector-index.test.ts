import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExactVectorIndex } from '../../../../src/knowledge/index/exact-vector-index.js';
import { UsearchVectorIndex } from '../../../../src/knowledge/index/usearch-vector-index.js';
import type { VectorIndex } from '../../../../src/knowledge/index/vector-index.js';

/** mulberry32: a seeded PRNG so the data set is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * "lowdim" data as in measured-here.md §2: x = A·z + noise with z in a low-dimensional space,
 * which has the neighbourhood structure real embeddings have (i.i.d. random vectors do not).
 */
function structured(n: number, dims: number, latent: number, seed: number): Float32Array[] {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  const A = Array.from({ length: dims * latent }, gauss);
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: latent }, gauss);
    const x = new Float32Array(dims);
    for (let i = 0; i < dims; i++) {
      let s = 0;
      for (let j = 0; j < latent; j++) s += A[i * latent + j]! * z[j]!;
      x[i] = s + 0.1 * gauss();
    }
    return x;
  });
}

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const tempPath = async (name: string) => {
  const d = await mkdtemp(join(tmpdir(), 'baimo-vec-'));
  dirs.push(d);
  return join(d, name);
};

function contract(name: string, make: (dims: number) => VectorIndex) {
  describe(`${name}: VectorIndex contract`, () => {
    it('finds the nearest by cosine, replaces and removes by id', () => {
      const idx = make(3);
      idx.add('x', [1, 0, 0]);
      idx.add('y', [0, 1, 0]);
      idx.add('z', [0, 0, 5]);
      expect(idx.search([0.9, 0.1, 0], 1)[0]!.id).toBe('x');
      expect(idx.search([0, 0, 1], 1)[0]!.score).toBeCloseTo(1, 5);
      idx.add('x', [0, 0.2, 1]);
      expect(idx.size).toBe(3);
      expect(idx.search([1, 0, 0], 3).map((h) => h.id)).toHaveLength(3);
      expect(idx.remove('z')).toBe(true);
      expect(idx.remove('z')).toBe(false);
      expect(idx.search([0, 0, 1], 5).map((h) => h.id)).toEqual(['x', 'y']);
    });

    it('refuses a vector of the wrong dimension', () => {
      expect(() => make(3).add('a', [1, 2])).toThrow(/3 dimensions/);
    });

    it('saves and loads', async () => {
      const data = structured(200, 16, 4, 7);
      const idx = make(16);
      data.forEach((v, i) => idx.add(`doc-${i}`, v));
      idx.remove('doc-3');
      const path = await tempPath('index.bin');
      await idx.save(path);
      const loaded = make(16);
      await loaded.load(path);
      expect(loaded.size).toBe(199);
      for (const q of data.slice(0, 10)) expect(loaded.search(q, 5)).toEqual(idx.search(q, 5));
      loaded.add('new', data[3]!);
      expect(loaded.search(data[3]!, 1)[0]!.id).toBe('new');
    });
  });
}

contract('ExactVectorIndex', (d) => new ExactVectorIndex(d));
contract('UsearchVectorIndex', (d) => new UsearchVectorIndex(d));

describe('UsearchVectorIndex against the exact oracle', () => {
  it('recall@10 ≥ 0.9 on 2,000 × 64 structured vectors', () => {
    const data = structured(2100, 64, 16, 42);
    const exact = new ExactVectorIndex(64);
    const hnsw = new UsearchVectorIndex(64);
    data.slice(0, 2000).forEach((v, i) => {
      exact.add(`d${i}`, v);
      hnsw.add(`d${i}`, v);
    });
    let found = 0;
    const queries = data.slice(2000);
    for (const q of queries) {
      const truth = new Set(exact.search(q, 10).map((h) => h.id));
      found += hnsw.search(q, 10).filter((h) => truth.has(h.id)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
  });
});
