import { describe, expect, it } from 'vitest';
import { createModelCache } from '../../../../src/providers/local/model-cache.js';

/** Loaded models by path: lazy, shared, least-recently-used idle ones unloaded beyond the bound. */

function fakeLoader() {
  const loads: string[] = [];
  const unloads: string[] = [];
  return {
    loads,
    unloads,
    load: async (path: string) => {
      loads.push(path);
      if (path.includes('missing')) throw new Error(`no file ${path}`);
      return { path };
    },
    unload: async (model: { path: string }) => void unloads.push(model.path),
  };
}

describe('createModelCache', () => {
  it('loads once per path, even for concurrent first requests', async () => {
    const fake = fakeLoader();
    const cache = createModelCache({ max: 2, ...fake });
    const [a, b] = await Promise.all([cache.acquire('/m/a.gguf'), cache.acquire('/m/a.gguf')]);
    expect(a.model).toBe(b.model);
    expect(fake.loads).toEqual(['/m/a.gguf']);
  });

  it('unloads the least recently used idle model beyond max, never one in use', async () => {
    const fake = fakeLoader();
    const cache = createModelCache({ max: 2, ...fake });
    const a = await cache.acquire('/a');
    (await cache.acquire('/b')).release();
    (await cache.acquire('/a')).release(); // /a is now the most recent
    const c = await cache.acquire('/c');
    await Promise.resolve();
    expect(fake.unloads).toEqual(['/b']);
    const d = await cache.acquire('/d'); // /a and /c are held: over the bound until they are released
    await Promise.resolve();
    expect(cache.size).toBe(3);
    a.release();
    await Promise.resolve();
    expect(fake.unloads).toEqual(['/b', '/a']);
    c.release();
    d.release();
    expect(cache.size).toBe(2);
  });

  it('a failed load is not cached', async () => {
    const fake = fakeLoader();
    const cache = createModelCache({ max: 2, ...fake });
    await expect(cache.acquire('/missing')).rejects.toThrow('no file /missing');
    await expect(cache.acquire('/missing')).rejects.toThrow();
    expect(fake.loads).toEqual(['/missing', '/missing']);
    expect(cache.size).toBe(0);
  });

  it('close unloads everything', async () => {
    const fake = fakeLoader();
    const cache = createModelCache({ max: 2, ...fake });
    await cache.acquire('/a');
    (await cache.acquire('/b')).release();
    await cache.close();
    expect(fake.unloads.sort()).toEqual(['/a', '/b']);
    await expect(cache.acquire('/a')).rejects.toThrow(/shutting down/);
  });
});
