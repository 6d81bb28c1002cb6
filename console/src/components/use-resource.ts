import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads data for a component: re-runs when `deps` change or `reload()` is called, ignores answers
 * that arrive after a newer load started or after unmount.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const run = ++latest.current;
    setLoading(true);
    load()
      .then((value) => {
        if (run !== latest.current) return;
        setData(value);
        setError(null);
      })
      .catch((err: unknown) => {
        if (run === latest.current) setError(err);
      })
      .finally(() => {
        if (run === latest.current) setLoading(false);
      });
    return () => {
      latest.current++;
    };
    // `load` is a new closure each render; the caller's `deps` say when it really changed.
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}

/** Runs an action (a button's click), exposing its pending state and error. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>): { run: (...args: A) => Promise<R | undefined>; busy: boolean; error: unknown; clearError: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      return await action(...args);
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clearError: () => setError(null) };
}
