import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExactVectorIndex } from '../../../../src/knowledge/index/exact-vector-index.js';
import { UsearchVectorIndex } from '../../../../src/knowledge/index/usearch-vector-index.js';
import type { VectorIndex } from '../../../../src/knowledge/index/vector-index.js';
import { seededRandom } from '../../../support/fixtures.js';


/**
 * "lowdim" data as in measured-here.md §2: x = A·z + noise with z in a low-dimensional space,
 * which has the neighbourhood structure real embeddings have (i.i.d. random vectors do not).
 */
function structured(n: number, dims: number, latent: number, seed: number): Float32Array[] {
  const r = seededRandom(seed);
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

describe('UsearchVectorIndex.addMany', () => {
  it('adds a batch (array or flat) that search finds, normalised like add', () => {
    const data = structured(300, 16, 4, 11);
    const ids = data.map((_, i) => `d${i}`);
    const one = new UsearchVectorIndex(16);
    const serial = new UsearchVectorIndex(16);
    const many = new UsearchVectorIndex(16);
    const flat = new UsearchVectorIndex(16);
    data.forEach((v, i) => one.add(`d${i}`, v));
    serial.addMany(ids, data, 1);
    many.addMany(ids, data, 2);
    const rows = new Float32Array(300 * 16);
    data.forEach((v, i) => rows.set(v, i * 16));
    flat.addMany(ids, rows);
    expect(serial.size).toBe(300);
    expect(many.size).toBe(300);
    expect(flat.size).toBe(300);
    // Every vector finds itself with score 1 (normalised like `add`), however many threads inserted it.
    for (const [i, q] of data.slice(0, 20).entries()) {
      expect(serial.search(q, 1)[0]).toEqual({ id: `d${i}`, score: expect.closeTo(1, 5) });
      expect(many.search(q, 1)[0]).toEqual({ id: `d${i}`, score: expect.closeTo(1, 5) });
      expect(flat.search(q, 1)[0]!.id).toBe(`d${i}`);
      // Compared with one-at-a-time insertion as sets, allowing one miss.
      const oneTop = new Set(one.search(q, 5).map((h) => h.id));
      expect(many.search(q, 5).filter((h) => oneTop.has(h.id)).length).toBeGreaterThanOrEqual(4);
    }
    many.addMany([], []);
    expect(many.size).toBe(300);
  });

  it('a parallel batch leaves no vector unreachable', () => {
    // usearch's two-thread insertion alone left ~3.7 of these 3,000 vectors out of their own top 4
    // (37 in 10 builds); addMany finds and reinserts them, so every one is found.
    const r = seededRandom(29);
    const data = Array.from({ length: 3000 }, () => Float32Array.from({ length: 64 }, () => r() - 0.5));
    const idx = new UsearchVectorIndex(64);
    idx.addMany(data.map((_, i) => `v${i}`), data, 2);
    const unreachable = data.filter((v, i) => idx.search(v, 4).every((h) => h.id !== `v${i}`)).length;
    expect(unreachable).toBe(0);
  });

  it('replaces existing ids, and within a batch the last vector of a repeated id wins', () => {
    const idx = new UsearchVectorIndex(3);
    idx.addMany(['x', 'y', 'z'], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    idx.addMany(['x', 'w', 'w'], [[0, 2, 0.1], [1, 1, 1], [0, 0, 3]]);
    expect(idx.size).toBe(4);
    expect(idx.search([1, 0, 0], 4).map((h) => h.id)).not.toContain(undefined);
    expect(idx.search([0, 1, 0], 2).map((h) => h.id).sort()).toEqual(['x', 'y']);
    const top = idx.search([0, 0, 1], 2);
    expect(top.map((h) => h.id).sort()).toEqual(['w', 'z']);
    expect(top[0]!.score).toBeCloseTo(1, 5);
    expect(idx.search([1, 0, 0], 4).every((h) => h.score < 0.5)).toBe(true); // x's old vector is gone
    expect(idx.remove('w')).toBe(true);
    expect(idx.size).toBe(3);
  });

  it('checks every vector before changing anything', () => {
    const idx = new UsearchVectorIndex(3);
    idx.addMany(['a'], [[1, 0, 0]]);
    expect(() => idx.addMany(['a', 'b'], [[0, 1, 0], [1, 2]])).toThrow(/3 dimensions/);
    expect(() => idx.addMany(['a', 'b'], new Float32Array(5))).toThrow(/2 × 3 = 6 values/);
    expect(() => idx.addMany(['a', 'b'], [[0, 1, 0]])).toThrow(/Expected 2 vectors/);
    expect(idx.size).toBe(1);
    expect(idx.search([1, 0, 0], 1)[0]).toEqual({ id: 'a', score: expect.closeTo(1, 5) });
  });

  it('saves and loads a batch-built index, which keeps accepting batches', async () => {
    const data = structured(500, 16, 4, 13);
    const idx = new UsearchVectorIndex(16);
    idx.addMany(data.slice(0, 400).map((_, i) => `d${i}`), data.slice(0, 400));
    idx.addMany(['d0', 'd1'], [data[450]!, data[451]!]); // replace two
    const path = await tempPath('batch.bin');
    await idx.save(path);
    const loaded = new UsearchVectorIndex(16);
    await loaded.load(path);
    expect(loaded.size).toBe(400);
    for (const q of [...data.slice(2, 12), data[450]!]) expect(loaded.search(q, 5)).toEqual(idx.search(q, 5));
    expect(loaded.search(data[450]!, 1)[0]!.id).toBe('d0');
    loaded.addMany(data.slice(400, 450).map((_, i) => `e${i}`), data.slice(400, 450));
    expect(loaded.size).toBe(450);
    expect(loaded.search(data[420]!, 1)[0]!.id).toBe('e20');
  });
});
