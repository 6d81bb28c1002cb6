/**
 * Loaded models by file path, loaded on first use and shared by concurrent requests (one load
 * per path even when many arrive together). Bounded: beyond `max` the least recently used model
 * that no request holds is unloaded; models in use are never unloaded under a request, so the
 * count may exceed `max` while all of them are busy, and shrinks as they are released.
 */
export interface ModelLease<M> {
  readonly model: M;
  /** Idempotent. */
  release(): void;
}

export interface ModelCache<M> {
  acquire(path: string): Promise<ModelLease<M>>;
  /** Models loaded or loading. */
  readonly size: number;
  /** Unload everything (shutdown); later `acquire` calls fail. */
  close(): Promise<void>;
}

interface Entry<M> {
  loading: Promise<M>;
  loaded?: M;
  holders: number;
}

export function createModelCache<M>(opts: {
  max: number;
  load: (path: string) => Promise<M>;
  unload: (model: M) => Promise<void>;
}): ModelCache<M> {
  // Map order is recency order: a hit is re-inserted at the end.
  const entries = new Map<string, Entry<M>>();
  let closed = false;

  const evict = async () => {
    const victims: M[] = [];
    for (const [path, entry] of entries) {
      if (entries.size - victims.length <= opts.max) break;
      if (entry.holders > 0 || entry.loaded === undefined) continue;
      entries.delete(path);
      victims.push(entry.loaded);
    }
    // An unload failure leaves nothing to retry; the model is gone from the cache either way.
    await Promise.all(victims.map((model) => opts.unload(model).catch(() => undefined)));
  };

  return {
    get size() {
      return entries.size;
    },
    async acquire(path) {
      if (closed) throw new Error('The local engine is shutting down.');
      let entry = entries.get(path);
      if (entry) entries.delete(path);
      else {
        const created: Entry<M> = { loading: opts.load(path), holders: 0 };
        created.loading.then(
          (model) => (created.loaded = model),
          // A failed load is not cached: the next request tries again (the file may appear).
          () => entries.get(path) === created && entries.delete(path),
        );
        entry = created;
      }
      entries.set(path, entry);
      entry.holders += 1;
      const held = entry;
      let model: M;
      try {
        model = await held.loading;
      } catch (err) {
        held.holders -= 1;
        throw err;
      }
      void evict();
      let released = false;
      return {
        model,
        release() {
          if (released) return;
          released = true;
          held.holders -= 1;
          if (!closed) void evict();
        },
      };
    },
    async close() {
      closed = true;
      const all = [...entries.values()];
      entries.clear();
      const settled = await Promise.allSettled(all.map((entry) => entry.loading));
      await Promise.all(settled.flatMap((s) => (s.status === 'fulfilled' ? [opts.unload(s.value)] : [])));
    },
  };
}
