import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, createApiClient, type ApiClient } from '../api/client';
import { getMe, login, logout } from '../api/tenancy';
import type { OrgRole, SignedInUser } from '../api/types';

/**
 * Who is signed in. The operator's master key lives in sessionStorage (gone when the tab closes);
 * a console user's session is the HttpOnly cookie, so only a hint that one exists is stored, to
 * avoid asking the server on every first visit.
 */

export type Session = { kind: 'operator' } | { kind: 'user'; user: SignedInUser; orgs: OrgRole[] };

interface SessionState {
  status: 'checking' | 'signed-out' | 'signed-in';
  session: Session | null;
  api: ApiClient;
  signInWithKey(masterKey: string): Promise<void>;
  signInWithPassword(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const MASTER_KEY_STORAGE = 'baimo.masterKey';
const USER_HINT_STORAGE = 'baimo.signedIn';

const SessionContext = createContext<SessionState | null>(null);

const storage = {
  get: (area: Storage, key: string) => {
    try {
      return area.getItem(key);
    } catch {
      return null;
    }
  },
  set: (area: Storage, key: string, value: string | null) => {
    try {
      if (value === null) area.removeItem(key);
      else area.setItem(key, value);
    } catch {
      // storage disabled: the session lasts for this page only
    }
  },
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const [masterKey, setMasterKey] = useState<string | null>(() => storage.get(sessionStorage, MASTER_KEY_STORAGE));
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<SessionState['status']>('checking');
  const api = useMemo(() => createApiClient({ masterKey: masterKey ?? undefined }), [masterKey]);

  useEffect(() => {
    if (status !== 'checking') return;
    if (!masterKey && !storage.get(localStorage, USER_HINT_STORAGE)) {
      setStatus('signed-out');
      return;
    }
    let cancelled = false;
    getMe(api)
      .then((me) => {
        if (cancelled) return;
        if (me.kind === 'operator' || me.kind === 'user') {
          setSession(me.kind === 'operator' ? { kind: 'operator' } : { kind: 'user', user: me.user, orgs: me.orgs });
          setStatus('signed-in');
        } else setStatus('signed-out');
      })
      .catch(() => {
        if (cancelled) return;
        storage.set(sessionStorage, MASTER_KEY_STORAGE, null);
        storage.set(localStorage, USER_HINT_STORAGE, null);
        setMasterKey(null);
        setStatus('signed-out');
      });
    return () => {
      cancelled = true;
    };
  }, [api, masterKey, status]);

  const signInWithKey = useCallback(async (key: string) => {
    const me = await getMe(createApiClient({ masterKey: key }));
    if (me.kind !== 'operator') throw new ApiError(403, 'not an operator key', 'not_operator');
    storage.set(sessionStorage, MASTER_KEY_STORAGE, key);
    setMasterKey(key);
    setSession({ kind: 'operator' });
    setStatus('signed-in');
  }, []);

  const signInWithPassword = useCallback(async (email: string, password: string) => {
    const result = await login(createApiClient({}), email, password);
    storage.set(localStorage, USER_HINT_STORAGE, '1');
    setMasterKey(null);
    setSession({ kind: 'user', user: result.user, orgs: result.orgs });
    setStatus('signed-in');
  }, []);

  const signOut = useCallback(async () => {
    if (session?.kind === 'user') await logout(api).catch(() => undefined);
    storage.set(sessionStorage, MASTER_KEY_STORAGE, null);
    storage.set(localStorage, USER_HINT_STORAGE, null);
    setMasterKey(null);
    setSession(null);
    setStatus('signed-out');
  }, [api, session]);

  const value = useMemo<SessionState>(
    () => ({ status, session, api, signInWithKey, signInWithPassword, signOut }),
    [status, session, api, signInWithKey, signInWithPassword, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session (pages render only when there is one). */
export function useSignedIn(): { session: Session; api: ApiClient; isOperator: boolean } {
  const { session, api } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return { session, api, isOperator: session.kind === 'operator' };
}
