import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { api, getToken, onTokenChange, setReauthenticate, setToken } from './api.ts';

export type Role = 'owner' | 'admin' | 'viewer';

export interface Me {
  id: string;
  email: string;
  name: string;
  plan: string;
  created_at: string;
  /** The tenant this account works in (its own id for the owner). */
  tenant_id?: string;
  role?: Role;
  is_superuser?: boolean;
}

interface SessionValue {
  me: Me | undefined;
  role: Role;
  /** Owners and admins change settings and see secrets; viewers only read. */
  canWrite: boolean;
  signIn(email: string, password: string, remember?: boolean): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession outside SessionProvider');
  return value;
}

export function useToken(): string | null {
  return useSyncExternalStore(onTokenChange, getToken);
}

export async function signIn(email: string, password: string, remember = true): Promise<void> {
  const form = new URLSearchParams({ username: email, password });
  const token = await api.post<{ access_token: string }>('/api/v1/auth/login', form, { anonymous: true });
  // Remembered (not secret) so the re-login dialog can offer it when the session has expired.
  localStorage.setItem(LAST_EMAIL_KEY, email);
  setToken(token.access_token, remember);
}

export const LAST_EMAIL_KEY = 'wearlink.last-email';

/**
 * Holds who is signed in. When the API says a session expired, `expired` is set and the page stays
 * mounted under a sign-in dialog (see ReauthDialog); the request that hit the 401 is retried after it.
 */
export function SessionProvider(props: {
  children: (state: { expired: boolean; resume: () => void }) => ReactNode;
}) {
  const token = useToken();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<(() => void) | undefined>(undefined);
  const me = useQuery({
    queryKey: ['me', token],
    queryFn: () => api.get<Me>('/api/v1/auth/me'),
    enabled: token !== null,
    staleTime: 60_000,
  });

  useEffect(() => {
    setReauthenticate(
      () =>
        new Promise<void>((resolve) => {
          setPending(() => resolve);
        }),
    );
    return () => setReauthenticate(undefined);
  }, []);

  const role: Role = me.data?.role ?? 'owner';
  const value: SessionValue = {
    me: token === null ? undefined : me.data,
    role,
    canWrite: role !== 'viewer',
    signIn,
    signOut() {
      setToken(null);
      queryClient.clear();
    },
  };
  return (
    <SessionContext.Provider value={value}>
      {props.children({
        expired: pending !== undefined,
        resume: () => {
          pending?.();
          setPending(undefined);
        },
      })}
    </SessionContext.Provider>
  );
}
