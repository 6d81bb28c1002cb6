import { BaimoError } from '../../protocol/errors.js';

/** Copies `v` into a unit-length Float32Array, so cosine similarity becomes a dot product. */
export function normalizeVector(v: Float32Array | readonly number[], dimensions: number): Float32Array {
  if (v.length !== dimensions) {
    throw new BaimoError('validation', `Expected a vector of ${dimensions} dimensions, got ${v.length}.`, {
      status: 400,
      code: 'vector_dimensions',
    });
  }
  const out = Float32Array.from(v);
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}
