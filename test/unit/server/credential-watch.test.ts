import { describe, expect, it, vi } from 'vitest';
import { fingerprintOf, watchStoredCredentials, type StoredCredential } from '../../../src/server/credential-watch.js';

describe('watchStoredCredentials', () => {
  const setup = (initial: StoredCredential[]) => {
    let rows = initial;
    const reload = vi.fn(async () => watch.loaded(rows));
    const watch = watchStoredCredentials({ list: async () => rows, reload, intervalMs: 60_000, log: vi.fn() });
    watch.loaded(rows);
    return { watch, reload, set: (next: StoredCredential[]) => (rows = next) };
  };

  it('reloads when a credential is added, replaced (even with an older timestamp) or removed, and not otherwise', async () => {
    const { watch, reload, set } = setup([{ provider: 'deepseek', updated_at: 100 }]);
    await watch.check();
    expect(reload).not.toHaveBeenCalled();
    set([{ provider: 'deepseek', updated_at: 100 }, { provider: 'moonshot', updated_at: 90 }]);
    await watch.check();
    expect(reload).toHaveBeenCalledTimes(1);
    await watch.check();
    expect(reload).toHaveBeenCalledTimes(1);
    set([{ provider: 'deepseek', updated_at: 50 }, { provider: 'moonshot', updated_at: 90 }]); // a lagging clock wrote it
    await watch.check();
    expect(reload).toHaveBeenCalledTimes(2);
    set([{ provider: 'moonshot', updated_at: 90 }]);
    await watch.check();
    expect(reload).toHaveBeenCalledTimes(3);
    watch.stop();
  });

  it('logs a failing poll once per outage and keeps going', async () => {
    const log = vi.fn();
    let fail = true;
    const watch = watchStoredCredentials({
      list: async () => {
        if (fail) throw new Error('database down');
        return [];
      },
      reload: async () => {},
      intervalMs: 60_000,
      log,
    });
    watch.loaded([]);
    await watch.check();
    await watch.check();
    expect(log).toHaveBeenCalledTimes(1);
    fail = false;
    await watch.check();
    watch.stop();
  });

  it('fingerprints ignore order', () => {
    expect(fingerprintOf([{ provider: 'b', updated_at: 1 }, { provider: 'a', updated_at: 2 }])).toBe(fingerprintOf([{ provider: 'a', updated_at: 2 }, { provider: 'b', updated_at: 1 }]));
  });
});
