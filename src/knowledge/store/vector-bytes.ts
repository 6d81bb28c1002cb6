/** Embeddings are stored as float32 little-endian bytes (4 bytes per dimension) in both dialects. */
export function vectorToBytes(vector: Float32Array | readonly number[]): Buffer {
  const f32 = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  return Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength);
}

/** Copies, so the result is aligned and independent of the driver's buffer pool. */
export function bytesToVector(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
