/**
 * Vendor keys pasted in the console are stored (encrypted) in the shared database, and the
 * replica that stored one reloads its config at once. Other replicas learn of it here: each polls
 * the list of stored credentials (provider and updated_at: a handful of rows, no secrets) and
 * reloads when it differs from what its config was last built from. A set compared whole, not
 * max(updated_at): a write from a replica whose clock lags, or a deletion, still changes it.
 */

export interface StoredCredential {
  provider: string;
  updated_at: number;
}

export interface CredentialWatchOptions {
  list: () => Promise<StoredCredential[]>;
  /** Rebuilds the config from the stored keys (it calls `loaded` with what it read). */
  reload: () => Promise<unknown>;
  intervalMs: number;
  log: (message: string, err?: unknown) => void;
}

export interface CredentialWatch {
  /** The config was just built from these credentials. */
  loaded(credentials: StoredCredential[]): void;
  /** One check (the timer runs this every intervalMs). */
  check(): Promise<void>;
  stop(): void;
}

export const fingerprintOf = (credentials: StoredCredential[]): string =>
  credentials
    .map((c) => `${c.provider}@${c.updated_at}`)
    .sort()
    .join(',');

export function watchStoredCredentials(opts: CredentialWatchOptions): CredentialWatch {
  let current: string | undefined;
  let checking = false;
  let failing = false;
  const check = async () => {
    if (checking || current === undefined) return;
    checking = true;
    try {
      if (fingerprintOf(await opts.list()) !== current) await opts.reload();
      failing = false;
    } catch (err) {
      // One line per outage; the next tick retries.
      if (!failing) opts.log('could not pick up vendor keys stored by another replica', err);
      failing = true;
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), opts.intervalMs);
  timer.unref();
  return {
    loaded(credentials) {
      current = fingerprintOf(credentials);
    },
    check,
    stop: () => clearInterval(timer),
  };
}
